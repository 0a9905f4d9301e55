// Package e2e holds the process-level tests: they build the parley binary,
// start it as a child process and drive it over HTTP and signals, as an
// operator would. It has no code of its own.
package e2e
