#include "services/node/grpc_log.h"

#include <utility>

#include "absl/base/const_init.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "grpc/support/log.h"
#include "libs/base/log.h"

namespace tonghop {
namespace {

ABSL_CONST_INIT absl::Mutex capture_mu(absl::kConstInit);
// The live capture's lines; null when none is live.
std::vector<std::string>* captured ABSL_GUARDED_BY(capture_mu) = nullptr;

void ToTonghopLog(gpr_log_func_args* args) {
  const absl::string_view message =
      args->message == nullptr ? absl::string_view() : args->message;
  if (args->severity == GPR_LOG_SEVERITY_ERROR) {
    absl::MutexLock lock(&capture_mu);
    if (captured != nullptr) {
      captured->emplace_back(message);
      return;
    }
  }
  LogLine(args->severity == GPR_LOG_SEVERITY_ERROR ? LogLevel::kError
                                                   : LogLevel::kInfo,
          absl::StrCat("grpc: ", message));
}

}  // namespace

void RouteGrpcLog() { gpr_set_log_function(&ToTonghopLog); }

GrpcLogCapture::GrpcLogCapture() {
  RouteGrpcLog();
  absl::MutexLock lock(&capture_mu);
  if (captured == nullptr) {
    captured = new std::vector<std::string>();
    active_ = true;
  }
}

GrpcLogCapture::~GrpcLogCapture() {
  if (!active_) return;
  std::vector<std::string>* lines;
  {
    absl::MutexLock lock(&capture_mu);
    lines = std::exchange(captured, nullptr);
  }
  for (const std::string& line : *lines)
    LogLine(LogLevel::kError, absl::StrCat("grpc: ", line));
  delete lines;
}

std::vector<std::string> GrpcLogCapture::Take() {
  if (!active_) return {};
  absl::MutexLock lock(&capture_mu);
  return std::exchange(*captured, {});
}

std::string OsErrorIn(const std::vector<std::string>& lines) {
  constexpr absl::string_view kKey = "os_error:\"";
  for (absl::string_view line : lines) {
    const size_t at = line.find(kKey);
    if (at == absl::string_view::npos) continue;
    const absl::string_view rest = line.substr(at + kKey.size());
    return std::string(rest.substr(0, rest.find('"')));
  }
  return "";
}

}  // namespace tonghop
