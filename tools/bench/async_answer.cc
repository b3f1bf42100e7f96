#include "tools/bench/async_answer.h"

#include <utility>

#include "grpcpp/support/byte_buffer.h"
#include "services/node/shared_bytes.h"

namespace tonghop::bench {

namespace {
constexpr char kGetRollup[] = "/tonghop.v1.ReportingService/GetRollup";
}  // namespace

// One call: requested, then its request read, then answered and finished.
// Its address is its tag on the queue; it deletes itself once finished (or
// when the queue says the step failed: a call cancelled, or the server gone).
class AsyncAnswerServer::Call {
 public:
  explicit Call(AsyncAnswerServer* server) : server_(server), stream_(&ctx_) {
    server_->service_.RequestCall(&ctx_, &stream_, server_->queue_.get(),
                                  server_->queue_.get(), this);
  }

  void Proceed(bool ok) {
    if (!ok) {  // a call that never came (shutdown) or failed on the way
      delete this;
      return;
    }
    switch (step_) {
      case Step::kRequested:
        server_->RequestNext();  // the next call can arrive meanwhile
        step_ = Step::kRead;
        stream_.Read(&request_, this);
        break;
      case Step::kRead:
        step_ = Step::kFinished;
        if (ctx_.method() == kGetRollup) {
          stream_.WriteAndFinish(SharedBytes(server_->answer_),
                                 grpc::WriteOptions(), grpc::Status::OK, this);
        } else {
          stream_.Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                      "answer mode serves GetRollup only"),
                         this);
        }
        break;
      case Step::kFinished:
        delete this;
        break;
    }
  }

 private:
  enum class Step { kRequested, kRead, kFinished };

  AsyncAnswerServer* const server_;
  grpc::GenericServerContext ctx_;
  grpc::GenericServerAsyncReaderWriter stream_;
  grpc::ByteBuffer request_;
  Step step_ = Step::kRequested;
};

AsyncAnswerServer::AsyncAnswerServer(std::shared_ptr<const std::string> answer)
    : answer_(std::move(answer)) {}

AsyncAnswerServer::~AsyncAnswerServer() { Stop(); }

void AsyncAnswerServer::Register(grpc::ServerBuilder& builder) {
  builder.RegisterAsyncGenericService(&service_);
  queue_ = builder.AddCompletionQueue();
}

void AsyncAnswerServer::RequestNext() {
  absl::MutexLock lock(&mu_);
  if (!stopping_) new Call(this);
}

void AsyncAnswerServer::Start() {
  RequestNext();
  thread_ = std::thread([this] {
    void* tag = nullptr;
    bool ok = false;
    while (queue_->Next(&tag, &ok)) static_cast<Call*>(tag)->Proceed(ok);
  });
}

void AsyncAnswerServer::Stop() {
  if (!thread_.joinable()) return;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    queue_->Shutdown();  // Next returns false once every tag is drained
  }
  thread_.join();
}

}  // namespace tonghop::bench
