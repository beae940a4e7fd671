/**
 * The publishable key `make frontend-build-test` bakes into the test build: a production
 * (`pk_live_`) key whose Frontend API is `clerk.example.test`, so the app lives on `example.test`.
 */
export const TEST_PUBLISHABLE_KEY = `pk_live_${Buffer.from("clerk.example.test$").toString("base64")}`;
