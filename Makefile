# Convene: the everyday commands. scripts/test.sh is the one test command.
.PHONY: test build demo bench load

test:
	bash scripts/test.sh

build:
	go build -o bin/convene ./cmd/convene

demo:
	go run ./cmd/convene demo

# Benchmarks of the stores (SQLite always; PostgreSQL when CONVENE_TEST_POSTGRES is set).
bench:
	go test -run '^$$' -bench . -benchmem ./internal/...

load:
	bash scripts/load.sh
