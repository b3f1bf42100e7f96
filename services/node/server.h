// Assembles a whole node from its config: registry, catalog, topology,
// database, engine, services and the gRPC server (with grpc.health.v1 and
// reflection).
#ifndef TONGHOP_SERVICES_NODE_SERVER_H_
#define TONGHOP_SERVICES_NODE_SERVER_H_

#include <atomic>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/server.h"
#include "libs/catalog/catalog.h"
#include "libs/clock/clock.h"
#include "libs/engine/engine.h"
#include "libs/engine/topology.h"
#include "libs/federation/uploader.h"
#include "libs/registry/registry.h"
#include "libs/remind/dispatcher.h"
#include "libs/store/db.h"
#include "services/node/admin_service.h"
#include "services/node/federation_service.h"
#include "services/node/grpc_parent_link.h"
#include "services/node/reporting_service.h"
#include "tonghop/v1/config.pb.h"

namespace tonghop {

class NodeServer {
 public:
  // Loads the data (the config's files, else the compiled-in data), refuses an
  // inconsistent catalog or config (INVALID_ARGUMENT naming the row or field),
  // opens <data_dir>/db, and starts serving on the config's listen address.
  // Takes ownership of `clock`.
  static absl::StatusOr<std::unique_ptr<NodeServer>> Start(
      const v1::NodeConfig& config, std::unique_ptr<Clock> clock);
  // Stops accepting RPCs, waits up to `grace` for those in flight, drains the
  // writer, closes the database.
  void Shutdown(absl::Duration grace);
  // Takes the tokens of `config` (the node's config read again, on SIGHUP),
  // and with TLS its revocation list (tls.crl_file) for the node's own
  // check of its parent and children: from the next call on, a removed token
  // or a newly revoked certificate is refused. Checked as at start
  // (INVALID_ARGUMENT naming the field; then nothing changes); a list that
  // leaves no token is refused. Nothing else of `config` is applied: the
  // returned text says which other fields differ and need a restart.
  absl::StatusOr<std::string> Reload(const v1::NodeConfig& config);
  ~NodeServer();

  int port() const { return port_; }
  const Topology& topology() const { return *topology_; }

 private:
  NodeServer() = default;
  // The policy of `config`'s tokens for this node's topology.
  absl::StatusOr<AccessPolicy> BuildAccess(const v1::NodeConfig& config) const;
  // INVALID_ARGUMENT when `access` asks for tokens at a node without TLS that
  // has child nodes (their pushes carry no token).
  absl::Status CheckTokensNeedTls(const AccessPolicy& access) const;

  v1::NodeConfig config_;
  std::unique_ptr<Clock> clock_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<Topology> topology_;
  std::unique_ptr<NodeCalendar> calendar_;
  std::unique_ptr<Db> db_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<GrpcParentLink> parent_;  // with a parent_address only
  std::unique_ptr<Uploader> uploader_;
  std::unique_ptr<Dispatcher> dispatcher_;  // with reminder channels only
  // Guards the writer's outbox hook against the uploader going away at
  // shutdown.
  absl::Mutex notify_mu_;
  Uploader* notify_ ABSL_GUARDED_BY(notify_mu_) = nullptr;
  Dispatcher* notify_dispatcher_ ABSL_GUARDED_BY(notify_mu_) = nullptr;
  bool has_tls_ = false;
  // The TLS material the node started with (a reload takes a new list only,
  // checked against this CA and certificate); nullopt without TLS.
  std::optional<TlsMaterial> tls_;
  // The serials the node's own checks refuse (shared with the TLS material
  // its services hold); null without TLS.
  std::shared_ptr<SerialSet> revoked_;
  bool crl_in_force_ = false;  // a list was given, at start or by a reload
  // The list's next update in Unix seconds, for GetNodeInfo; kNoCrl: none.
  static constexpr int64_t kNoCrl = std::numeric_limits<int64_t>::max();
  std::atomic<int64_t> crl_next_update_ = kNoCrl;
  AccessPolicy access_;  // its tokens replaced by Reload
  std::unique_ptr<ReportingService> reporting_;
  std::unique_ptr<FederationService> federation_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace tonghop

#endif  // TONGHOP_SERVICES_NODE_SERVER_H_
