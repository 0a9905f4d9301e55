// Package auth is how parley knows who is asking, for the API and the web
// pages alike: password hashing and checking (bcrypt, with refusals that
// take as long as a check), credentials (API tokens and browser sessions,
// never accepted as each other), sign-in with throttling, and the request's
// user on the echo context. It reaches storage only through domain.Store.
package auth
