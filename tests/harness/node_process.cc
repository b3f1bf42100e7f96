#include "tests/harness/node_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace tonghop::testing {

TempDir::TempDir() {
  std::string tmpl =
      (std::filesystem::temp_directory_path() / "tonghop-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) std::abort();
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

absl::StatusOr<std::unique_ptr<NodeProcess>> NodeProcess::Start(
    const std::string& dir, v1::NodeConfig config,
    const std::string& start_time) {
  std::unique_ptr<NodeProcess> node(new NodeProcess);
  std::filesystem::create_directories(dir);
  node->dir_ = dir;
  node->config_path_ = dir + "/node.textproto";
  node->port_file_ = dir + "/port";
  node->log_ = dir + "/node.log";
  node->start_time_ = start_time;
  config.set_listen_address("127.0.0.1:0");
  config.set_data_dir(dir + "/data");
  node->config_ = std::move(config);
  node->WriteConfig();
  absl::Status s = node->Launch();
  if (!s.ok()) return s;
  // From now on the node keeps its port across restarts.
  node->config_.set_listen_address(node->target());
  node->WriteConfig();
  return node;
}

void NodeProcess::WriteConfig() const {
  std::string text;
  google::protobuf::TextFormat::PrintToString(config_, &text);
  std::ofstream(config_path_, std::ios::trunc) << text;
}

void NodeProcess::Reconfigure(const v1::NodeConfig& config) {
  config_ = config;
  WriteConfig();
  if (pid_ > 0) kill(pid_, SIGHUP);
}

std::string NodeProcess::WaitForLog(const std::string& text) const {
  std::string log;
  for (int i = 0; i < 100; ++i) {  // at most 10 s
    std::ifstream in(log_);
    log.assign(std::istreambuf_iterator<char>(in), {});
    if (log.find(text) != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return log;
}

absl::Status NodeProcess::Launch() {
  std::filesystem::remove(port_file_);
  pid_ = fork();
  if (pid_ < 0) return absl::InternalError("fork failed");
  if (pid_ == 0) {
    FILE* log = std::fopen(log_.c_str(), "a");
    if (log != nullptr) {
      dup2(fileno(log), STDOUT_FILENO);
      dup2(fileno(log), STDERR_FILENO);
    }
    std::string config = "--config=" + config_path_;
    std::string port = "--port_file=" + port_file_;
    std::string start = "--start_time=" + start_time_;
    execl(TONGHOP_NODE_BINARY, TONGHOP_NODE_BINARY, config.c_str(),
          "--clock=simulated", start.c_str(), port.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 400; ++i) {  // at most 20 s
    std::ifstream in(port_file_);
    int port = 0;
    if (in >> port && port > 0) {
      port_ = port;
      return absl::OkStatus();
    }
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::ifstream log(log_);
      std::stringstream text;
      text << log.rdbuf();
      return absl::InternalError(
          absl::StrCat("tonghop-node exited at start: ", text.str()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return absl::DeadlineExceededError(
      "tonghop-node did not write its port within 20 s");
}

int NodeProcess::Stop(int signal) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  int status = 0;
  for (int i = 0; i < 200; ++i) {  // at most 10 s, then SIGKILL
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

absl::Status NodeProcess::Restart() {
  if (pid_ > 0) Stop(SIGTERM);
  int old = port_;
  absl::Status s = Launch();
  if (s.ok() && port_ != old) {
    return absl::InternalError(
        absl::StrCat("restarted on port ", port_, ", not ", old));
  }
  return s;
}

NodeProcess::~NodeProcess() { Stop(SIGTERM); }

std::string NodeProcess::target() const {
  return absl::StrCat("127.0.0.1:", port_);
}

std::unique_ptr<v1::ReportingService::Stub> NodeProcess::Reporting() const {
  return v1::ReportingService::NewStub(
      grpc::CreateChannel(target(), grpc::InsecureChannelCredentials()));
}

std::unique_ptr<v1::AdminService::Stub> NodeProcess::Admin() const {
  return v1::AdminService::NewStub(
      grpc::CreateChannel(target(), grpc::InsecureChannelCredentials()));
}

CommandResult RunCommand(const std::string& command, bool merge_stderr) {
  CommandResult result;
  std::string full = merge_stderr ? command + " 2>&1" : command;
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0)
    result.output.append(buffer, n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string Cli(const NodeProcess& node) {
  return absl::StrCat(TONGHOP_CLI_BINARY, " --target=", node.target());
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(10));
  return context;
}

}  // namespace tonghop::testing
