"""Serving WhiteNoise's files under ASGI without Django's sync-iterator warning."""

from collections.abc import AsyncIterator, Callable, Iterable

from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponseBase


class AsyncFileStreamingMiddleware:
    """Give streaming responses an async iterator, as Django's own ASGIStaticFilesHandler does.

    WhiteNoise answers with sync file iterators; under ASGI Django would warn on each
    one. Static files are small, so reading them in one thread hop is the cheap fix.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.streaming and not getattr(response, "is_async", False):
            response.streaming_content = _read_in_thread(response.streaming_content)  # type: ignore[attr-defined]
        return response


async def _read_in_thread(chunks: Iterable[bytes]) -> AsyncIterator[bytes]:
    read_all: Callable[[Iterable[bytes]], list[bytes]] = list
    for chunk in await sync_to_async(read_all, thread_sensitive=False)(chunks):
        yield chunk
