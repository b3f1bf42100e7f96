#include "libs/engine/config.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace tonghop {
namespace {

// Collects the text-format parser's first error with its position.
class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (text_.empty())
      text_ = absl::StrCat("line ", line + 1, ", column ", column + 1, ": ",
                           message);
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

}  // namespace

absl::StatusOr<v1::NodeConfig> ParseNodeConfig(const std::string& text) {
  v1::NodeConfig config;
  google::protobuf::TextFormat::Parser parser;
  FirstError errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text, &config)) {
    return absl::InvalidArgumentError(absl::StrCat("config: ", errors.text()));
  }
  if (config.unit().empty())
    return absl::InvalidArgumentError("config: unit is required");
  if (config.role() == v1::ROLE_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        "config: role is required (ROLE_CENTRAL, ROLE_CITY, ROLE_DEPARTMENT or "
        "ROLE_WARD)");
  }
  if (config.listen_address().empty()) {
    return absl::InvalidArgumentError("config: listen_address is required");
  }
  if (config.data_dir().empty())
    return absl::InvalidArgumentError("config: data_dir is required");
  return config;
}

absl::StatusOr<v1::NodeConfig> LoadNodeConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::NotFoundError(absl::StrCat("config: cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto config = ParseNodeConfig(buffer.str());
  if (!config.ok()) {
    return absl::Status(config.status().code(),
                        absl::StrCat(path, ": ", config.status().message()));
  }
  return config;
}

}  // namespace tonghop
