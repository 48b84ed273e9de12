# capsim: the two set-up commands of the README, plus benchmarks.
#   make demo   builds capsim and runs the shipped Seoul food-delivery scenario
#   make test   runs the whole test suite
# Both install OpenBLAS (libopenblas-dev, liblapacke-dev) with apt-get when it is missing.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SCENARIO ?= scenarios/seoul-food-delivery.yaml

.PHONY: deps demo test bench
deps:
	@if pkg-config --exists openblas 2>/dev/null && printf '#include <lapacke.h>\n' | cc -E -x c - >/dev/null 2>&1; then :; else \
	  echo "installing OpenBLAS and LAPACKE with apt-get"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libopenblas-dev liblapacke-dev pkg-config; \
	fi

demo: deps
	$(SWIFT) run capsim run $(SCENARIO)

test: deps
	$(SWIFT) test

bench: deps
	cd Benchmarks && $(SWIFT) package benchmark
