// Reading and checking a node's configuration file (text-format v1.NodeConfig).
#ifndef TONGHOP_LIBS_ENGINE_CONFIG_H_
#define TONGHOP_LIBS_ENGINE_CONFIG_H_

#include <string>

#include "absl/status/statusor.h"
#include "tonghop/v1/config.pb.h"

namespace tonghop {

// Parses `text` (text-format protobuf). INVALID_ARGUMENT with the parser's line
// and column, or naming the first missing field (unit, role, listen_address,
// data_dir).
absl::StatusOr<v1::NodeConfig> ParseNodeConfig(const std::string& text);

// Reads and parses the file at `path`. NOT_FOUND when it cannot be read.
absl::StatusOr<v1::NodeConfig> LoadNodeConfig(const std::string& path);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_ENGINE_CONFIG_H_
