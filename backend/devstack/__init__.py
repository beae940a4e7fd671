"""The project's topology run natively: uvicorn + Next.js + nginx from the same template.

Used by `make dev`, by the stack and browser tests, and by `make bench`. No Docker needed.
"""
