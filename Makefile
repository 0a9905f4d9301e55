# The everyday commands. CI runs .ci/run, which does what `make lint test`
# does and more (the race detector, PostgreSQL, fuzzing).

GOLANGCI_LINT_VERSION := v2.15.0
GOLANGCI_LINT := $(shell go env GOPATH)/bin/golangci-lint
PARLEY_TEST_DATABASE_URL ?=
ADDR ?= 127.0.0.1:8080

.PHONY: run test test-postgres lint bench build

## run: serve the demo negotiation at http://$(ADDR)/
run:
	go run . serve --demo --addr $(ADDR)

## build: the parley binary
build:
	go build -o parley .

## test: the whole suite on SQLite
test:
	PARLEY_TEST_DATABASE_URL= go test ./...

## test-postgres: the whole suite on PostgreSQL
test-postgres:
	PARLEY_TEST_DATABASE_URL=$${PARLEY_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable} go test ./...

## lint: go vet, gofmt, golangci-lint and the OpenAPI document's lint
lint: $(GOLANGCI_LINT)
	go vet ./...
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	$(GOLANGCI_LINT) run ./...
	go test ./api -run '^TestOpenAPILint$$' -count=1

$(GOLANGCI_LINT):
	go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)

## bench: every benchmark, once, without the tests
bench:
	go test ./... -run '^$$' -bench . -benchtime 1x -benchmem
