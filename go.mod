module github.com/parley/parley

go 1.26.8

require (
	github.com/google/uuid v1.6.0
	golang.org/x/crypto v0.59.0
)
