// Host:port addresses as configs and the CLI give them.
#ifndef TONGHOP_LIBS_BASE_ADDRESS_H_
#define TONGHOP_LIBS_BASE_ADDRESS_H_

#include "absl/strings/string_view.h"

namespace tonghop {

// Whether `address` ("HOST:PORT", "[::1]:PORT", "localhost:PORT") names this
// machine's loopback only: 127.0.0.0/8, ::1 or localhost. Anything else,
// including 0.0.0.0, [::] and gRPC's URI forms ("dns:///..."), is not.
bool IsLoopback(absl::string_view address);

}  // namespace tonghop

#endif  // TONGHOP_LIBS_BASE_ADDRESS_H_
