// A gRPC message body that refers to bytes kept elsewhere, for raw methods
// that answer with serialised messages they keep (the node's roll-up answers,
// the benchmark's answer server): nothing is copied; the buffer holds a
// reference to the bytes until gRPC has sent them.
#ifndef TONGHOP_SERVICES_NODE_SHARED_BYTES_H_
#define TONGHOP_SERVICES_NODE_SHARED_BYTES_H_

#include <memory>
#include <string>
#include <utility>

#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/slice.h"

namespace tonghop {

// `bytes` (not null) as a ByteBuffer that shares them.
inline grpc::ByteBuffer SharedBytes(std::shared_ptr<const std::string> bytes) {
  auto* held = new std::shared_ptr<const std::string>(std::move(bytes));
  grpc::Slice slice(
      const_cast<char*>((*held)->data()), (*held)->size(),
      +[](void* p) {
        delete static_cast<std::shared_ptr<const std::string>*>(p);
      },
      held);
  return grpc::ByteBuffer(&slice, 1);
}

}  // namespace tonghop

#endif  // TONGHOP_SERVICES_NODE_SHARED_BYTES_H_
