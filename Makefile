# make demo  - install what is missing, build, and run the demo (one city node, real wards)
# make test  - install what is missing, build, and run every test
# make build - install what is missing and build (binaries under build/)
SHELL := /bin/bash
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
# Debian 12 packages the build and tests need.
PACKAGES := g++ cmake ninja-build pkg-config tzdata \
	libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler \
	libabsl-dev librocksdb-dev libgtest-dev libgmock-dev libssl-dev \
	libcurl4-openssl-dev libcpp-httplib-dev python3 python3-aiosmtpd
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: all deps build test demo clean

all: build

deps:
	@missing=""; \
	for p in $(PACKAGES); do \
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

clean:
	rm -rf $(BUILD)
