# make demo  - install what is missing, build, and run the demo (one city node, real wards)
# make test  - install what is missing, build, and run every test
# make build - install what is missing and build (binaries under build/)
# make bench - also install PostgreSQL 15, build tonghop-bench and run the
#              national month-end burst benchmark (writes docs/benchmarks.*)
SHELL := /bin/bash
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
# Debian 12 packages the build and tests need.
PACKAGES := g++ cmake ninja-build pkg-config tzdata \
	libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler \
	libabsl-dev librocksdb-dev libgtest-dev libgmock-dev libssl-dev \
	libcurl4-openssl-dev libcpp-httplib-dev libgoogle-perftools-dev \
	libxlsxwriter-dev libminizip-dev python3 python3-aiosmtpd openssl
# What `make bench` needs on top: PostgreSQL 15 (started privately by the
# benchmark) and libpq.
BENCH_PACKAGES := postgresql-15 libpq-dev
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: all deps bench-deps build test demo bench clean

all: build

deps bench-deps:
	@missing=""; \
	for p in $(if $(filter bench-deps,$@),$(BENCH_PACKAGES),$(PACKAGES)); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j2

demo: build
	tools/demo/demo.sh $(BUILD)

bench: deps bench-deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DTONGHOP_BENCH=ON
	cmake --build $(BUILD) --target tonghop-bench
	$(BUILD)/tools/bench/tonghop-bench --docs_dir=docs

clean:
	rm -rf $(BUILD)
