#include "services/node/server.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "data/embedded.h"
#include "google/protobuf/util/time_util.h"
#include "grpc/support/time.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "libs/base/address.h"
#include "libs/base/file.h"
#include "libs/base/log.h"
#include "libs/base/status_macros.h"
#include "libs/calendar/calendar.h"
#include "libs/calendar/zone.h"
#include "libs/clock/clock.h"
#include "libs/remind/channels/email.h"
#include "libs/remind/channels/smtp_channel.h"
#include "libs/remind/channels/webhook_channel.h"
#include "libs/remind/schedule.h"
#include "services/node/grpc_log.h"
#include "services/node/tls.h"

namespace tonghop {
namespace {

// How far ahead the node warns: of a year without a holiday list (the node's
// clock), of a certificate or revocation list running out (the machine's).
constexpr absl::Duration kHolidaysAhead = absl::Hours(24 * 45);
constexpr absl::Duration kExpiryAhead = absl::Hours(24 * 30);

// The file at `path`, or `fallback` (compiled-in data) when `path` is empty;
// NOT_FOUND naming the config's `field` and the path when it cannot be read.
absl::StatusOr<std::string> ReadOr(absl::string_view field,
                                   const std::string& path,
                                   absl::string_view fallback) {
  if (path.empty()) return std::string(fallback);
  return ReadWholeFile(path, absl::StrCat("config: ", field));
}

// `status` of loading the file named by the config's `field`, naming that file
// when one was given (the compiled-in data is named by the loader itself).
absl::Status InFile(absl::Status status, absl::string_view field,
                    const std::string& path) {
  if (status.ok() || path.empty()) return status;
  return absl::Status(status.code(), absl::StrCat("config: ", field, " ", path,
                                                  ": ", status.message()));
}

// The e-mail channel's addresses: the sender and every contact must be plain
// addresses, as the channel sends them (IsPlainAddress). Warns of addresses
// that can get no mail (no smtp_url) and of children with no address.
absl::Status CheckMail(const v1::NodeConfig& config, const Topology& topo) {
  const v1::ReminderChannels& channels = config.channels();
  const bool smtp = !channels.smtp_url().empty();
  if (smtp && !IsPlainAddress(MailboxAddress(channels.smtp_from()))) {
    return absl::InvalidArgumentError(
        absl::StrCat("config: channels.smtp_from: '", channels.smtp_from(),
                     "' is not an e-mail address (the sender of the reminders, "
                     "\"tonghop@so.gov.vn\" or \"Name <tonghop@so.gov.vn>\")"));
  }
  std::set<std::string> reached;
  for (int i = 0; i < channels.contacts_size(); ++i) {
    const v1::Contact& contact = channels.contacts(i);
    for (int j = 0; j < contact.emails_size(); ++j) {
      if (!IsPlainAddress(contact.emails(j))) {
        return absl::InvalidArgumentError(absl::StrCat(
            "config: channels.contacts[", i, "].emails[", j, "]: '",
            contact.emails(j), "' is not an e-mail address (local@domain)"));
      }
    }
    if (contact.emails_size() > 0) reached.insert(contact.unit());
  }
  if (!smtp && !reached.empty()) {
    LogWarning(
        "config: channels.contacts has e-mail addresses but there is no "
        "channels.smtp_url: no reminder will be sent by e-mail");
  }
  if (smtp) {
    std::vector<std::string> unreached;
    for (const Child& c : topo.children()) {
      if (!reached.count(c.unit->code)) unreached.push_back(c.unit->code);
    }
    if (!unreached.empty()) {
      LogWarning(
          "config: ", unreached.size(), " of ", topo.children().size(),
          " children have no e-mail address in channels.contacts and "
          "get no reminder by e-mail: ",
          absl::StrJoin(
              unreached.begin(),
              unreached.begin() + std::min<size_t>(unreached.size(), 10), ", "),
          unreached.size() > 10 ? ", ..." : "");
    }
  }
  return absl::OkStatus();
}

// A city whose config lists its children but leaves out a department
// responsible for an indicator in its scope: nobody here reports that
// indicator, while the central node expects it of the city.
void WarnOfMissingDepartments(const v1::NodeConfig& config,
                              const Topology& topo) {
  if (config.role() != v1::ROLE_CITY || config.children().empty()) return;
  std::vector<std::string> missing;
  for (const Unit* u : Topology::DefaultCityChildren(
           topo.self(), topo.registry(), topo.catalog())) {
    if (u->level == Level::kDepartment && topo.FindChild(u->code) == nullptr) {
      missing.push_back(absl::StrCat(u->code, " (", u->name, ")"));
    }
  }
  if (missing.empty()) return;
  LogWarning("config: children: ", absl::StrJoin(missing, ", "),
             " responsible for indicators in this city's scope ",
             missing.size() == 1 ? "is" : "are",
             " not listed: nobody here reports those indicators, and the "
             "central node expects them of this city");
}

}  // namespace

absl::StatusOr<std::unique_ptr<NodeServer>> NodeServer::Start(
    const v1::NodeConfig& config, std::unique_ptr<Clock> clock) {
  RETURN_IF_ERROR(VietnamZone().status());
  std::unique_ptr<NodeServer> node(new NodeServer);
  node->config_ = config;
  node->clock_ = std::move(clock);
  ASSIGN_OR_RETURN(std::string units, ReadOr("units_file", config.units_file(),
                                             data::AdminUnitsCsv()));
  ASSIGN_OR_RETURN(std::string depts,
                   ReadOr("departments_file", config.departments_file(),
                          data::DepartmentsCsv()));
  ASSIGN_OR_RETURN(
      std::string indicators,
      ReadOr("catalog_file", config.catalog_file(), data::IndicatorsCsv()));
  {
    auto registry = Registry::Load(units, depts);
    if (!registry.ok()) {
      // Either file may be the operator's: name the one given (or both).
      if (config.departments_file().empty()) {
        return InFile(registry.status(), "units_file", config.units_file());
      }
      if (config.units_file().empty()) {
        return InFile(registry.status(), "departments_file",
                      config.departments_file());
      }
      return InFile(
          registry.status(), "units_file/departments_file",
          absl::StrCat(config.units_file(), ", ", config.departments_file()));
    }
    node->registry_ = *std::move(registry);
  }
  {
    auto catalog = Catalog::Load(indicators, *node->registry_);
    if (!catalog.ok()) {
      return InFile(catalog.status(), "catalog_file", config.catalog_file());
    }
    node->catalog_ = *std::move(catalog);
  }
  ASSIGN_OR_RETURN(
      node->topology_,
      Topology::Build(config, node->registry_.get(), node->catalog_.get()));
  RETURN_IF_ERROR(CheckMail(config, *node->topology_));
  WarnOfMissingDepartments(config, *node->topology_);
  ASSIGN_OR_RETURN(node->access_, node->BuildAccess(config));
  ASSIGN_OR_RETURN(std::optional<TlsMaterial> tls,
                   LoadTlsMaterial(config.tls(), node->topology_->self().code));
  if (tls.has_value()) {
    // Handshakes judge certificates by the machine's time, whatever clock
    // the node runs on.
    for (const std::string& warning :
         ExpiryWarnings(*tls, node->topology_->self().code, RealClock().Now(),
                        kExpiryAhead)) {
      LogWarning(warning);
    }
  }
  node->has_tls_ = tls.has_value();
  if (tls.has_value()) {
    node->revoked_ = tls->revoked;
    node->crl_in_force_ = !tls->crl_pem.empty();
    if (tls->crl_next_update != absl::InfiniteFuture()) {
      node->crl_next_update_ = absl::ToUnixSeconds(tls->crl_next_update);
    }
  }
  RETURN_IF_ERROR(node->CheckTokensNeedTls(node->access_));
  if (node->access_.enabled() && !tls.has_value()) {
    LogWarning(
        "config: tokens without tls: the tokens cross the network in clear "
        "text (fine on loopback only; see README \"Mutual TLS between "
        "nodes\")");
  }
  if (!node->access_.enabled() && !IsLoopback(config.listen_address())) {
    LogWarning("config: listen_address ", config.listen_address(),
               " is reachable from other machines and no tokens are listed: "
               "whoever reaches it can submit, finalise and lock (README "
               "\"Tokens\")");
  }
  ASSIGN_OR_RETURN(
      std::string holidays_csv,
      ReadOr("holidays_file", config.holidays_file(), data::HolidaysCsv()));
  auto holidays_or = Holidays::Load(holidays_csv);
  if (!holidays_or.ok()) {
    return InFile(holidays_or.status(), "holidays_file",
                  config.holidays_file());
  }
  Holidays holidays = *std::move(holidays_or);
  ASSIGN_OR_RETURN(
      node->calendar_,
      NodeCalendar::Build(config, *node->registry_, node->topology_->self(),
                          std::move(holidays)));

  std::error_code ec;
  std::filesystem::create_directories(config.data_dir(), ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("data_dir ", config.data_dir(), ": ", ec.message()));
  }
  ASSIGN_OR_RETURN(
      node->db_,
      Db::Open((std::filesystem::path(config.data_dir()) / "db").string()));
  // Only once the database's lock is ours: another process on the same
  // folder (refused just above) must not replace the list this node uses.
  if (tls.has_value() && !tls->crl_pem.empty()) {
    ASSIGN_OR_RETURN(tls->crl_directory,
                     WriteCrlDirectory(config.data_dir(), tls->crl_pem));
  }
  node->tls_ = tls;  // complete now: Reload rewrites the folder it names
  if (node->clock_->IsSimulated()) {
    // Restarted with an earlier --start_time, the clock would go back behind
    // what this node already recorded (late marks, reminders and receipts
    // would then run backwards): it starts from the last change instead.
    ASSIGN_OR_RETURN(std::optional<absl::Time> last,
                     Engine::LastRecordedTime(*node->db_));
    // Nor behind where it was last set (moved without any change since).
    absl::StatusOr<std::string> set =
        node->db_->Get(AdminService::SimulatedClockKey());
    int64_t set_nanos = 0;
    if (set.ok() && absl::SimpleAtoi(*set, &set_nanos) &&
        (!last.has_value() || absl::FromUnixNanos(set_nanos) > *last)) {
      last = absl::FromUnixNanos(set_nanos);
    }
    if (last.has_value() && *last > node->clock_->Now()) {
      LogWarning(
          "simulated clock: the start time ",
          FormatVietnamTime(node->clock_->Now()),
          " is before the last change or clock setting recorded in ",
          config.data_dir(), " at ", FormatVietnamTime(*last),
          "; the clock starts there, never behind what this node recorded");
      RETURN_IF_ERROR(node->clock_->SetTime(*last));
    }
  }
  // After the clock is settled: the year the node starts in, and the next
  // one when it is near.
  for (const std::string& warning :
       HolidayWarnings(node->calendar_->holidays(), node->clock_->Now(),
                       node->calendar_->zone(), kHolidaysAhead)) {
    LogWarning(warning);
  }
  Engine::Options options;
  options.topology = node->topology_.get();
  options.clock = node->clock_.get();
  options.db = node->db_.get();
  options.has_parent = !config.parent_address().empty();
  options.calendar = node->calendar_.get();
  // Reminders: the policy, the channels configured, and each unit's e-mail
  // addresses.
  options.reminders = &node->config_.reminders();
  const v1::ReminderChannels& channels = node->config_.channels();
  std::map<std::string, std::unique_ptr<Channel>> senders;
  if (!channels.smtp_url().empty()) {
    options.channels.push_back("email");
    senders["email"] = std::make_unique<SmtpChannel>(SmtpOptions{
        channels.smtp_url(), channels.smtp_from(), absl::Seconds(10)});
  }
  for (int i = 0; i < channels.webhook_urls_size(); ++i) {
    std::string key = absl::StrCat("webhook", i + 1);
    options.channels.push_back(key);
    senders[key] = std::make_unique<WebhookChannel>(
        WebhookOptions{channels.webhook_urls(i), absl::Seconds(10)});
  }
  for (const v1::Contact& c : channels.contacts()) {
    auto& emails = options.contacts[c.unit()];
    emails.insert(emails.end(), c.emails().begin(), c.emails().end());
  }
  NodeServer* raw = node.get();
  options.on_reminders = [raw] {
    absl::MutexLock lock(&raw->notify_mu_);
    if (raw->notify_dispatcher_ != nullptr) raw->notify_dispatcher_->Notify();
  };
  options.on_outbox = [raw] {
    absl::MutexLock lock(&raw->notify_mu_);
    if (raw->notify_ != nullptr) raw->notify_->Notify();
  };
  ASSIGN_OR_RETURN(node->engine_, Engine::Start(options));
  if (!senders.empty()) {
    Dispatcher::Options dispatch;
    dispatch.max_backoff = absl::Seconds(
        WithDefaults(node->config_.reminders()).max_retry_seconds());
    Engine* engine = node->engine_.get();
    node->dispatcher_ = std::make_unique<Dispatcher>(
        node->db_.get(), node->clock_.get(), std::move(senders),
        [engine](const v1::Reminder& r) { return engine->StillApplies(r); },
        dispatch);
    node->dispatcher_->Start();
    absl::MutexLock lock(&node->notify_mu_);
    node->notify_dispatcher_ = node->dispatcher_.get();
  }
  if (options.has_parent) {
    node->parent_ = std::make_unique<GrpcParentLink>(
        config.parent_address(), node->topology_->self().parent, tls);
    node->uploader_ = std::make_unique<Uploader>(
        node->engine_.get(), node->parent_.get(), Uploader::Options());
    node->uploader_
        ->Start();  // delivers what the outbox kept across a restart, too
    absl::MutexLock lock(&node->notify_mu_);
    node->notify_ = node->uploader_.get();
  }

  const absl::Time certificate_expiry =
      tls.has_value() ? tls->certificate_expiry : absl::InfiniteFuture();
  node->reporting_ = std::make_unique<ReportingService>(
      node->engine_.get(), node->clock_.get(), &node->access_,
      [raw, certificate_expiry](v1::NodeInfo* info) {
        info->set_parent_address(raw->config_.parent_address());
        using google::protobuf::util::TimeUtil;
        if (certificate_expiry != absl::InfiniteFuture()) {
          *info->mutable_tls_certificate_expiry() =
              TimeUtil::SecondsToTimestamp(
                  absl::ToUnixSeconds(certificate_expiry));
        }
        TlsMaterial expiry;  // the two dates ExpiryWarnings judges
        expiry.certificate_expiry = certificate_expiry;
        if (const int64_t next = raw->crl_next_update_.load();
            next != kNoCrl) {  // as the last list read says
          *info->mutable_tls_crl_next_update() =
              TimeUtil::SecondsToTimestamp(next);
          expiry.crl_next_update = absl::FromUnixSeconds(next);
        }
        // What to act on now: the holidays by the node's clock (what its
        // reminders and deadlines go by), the certificates by the machine's.
        for (std::string& warning :
             HolidayWarnings(raw->calendar_->holidays(), raw->clock_->Now(),
                             raw->calendar_->zone(), kHolidaysAhead)) {
          info->add_warnings(std::move(warning));
        }
        for (std::string& warning :
             ExpiryWarnings(expiry, raw->topology_->self().code,
                            RealClock().Now(), kExpiryAhead)) {
          info->add_warnings(std::move(warning));
        }
        if (raw->uploader_) {
          Uploader::Info u = raw->uploader_->info();
          auto pending = raw->engine_->PendingOutbox();
          info->set_outbox_pending(
              pending.ok() ? static_cast<int32_t>(pending->size()) : u.pending);
          info->set_last_push_error(u.last_error);
        }
        if (raw->dispatcher_) {
          for (const Dispatcher::ChannelInfo& c : raw->dispatcher_->info()) {
            v1::ChannelStatus* status = info->add_channels();
            status->set_key(c.key);
            status->set_name(c.name);
            status->set_pending(c.pending);
            status->set_sent(c.sent);
            status->set_last_error(c.last_error);
          }
        }
      });
  node->federation_ =
      std::make_unique<FederationService>(node->engine_.get(), tls);
  node->admin_ = std::make_unique<AdminService>(
      node->clock_.get(), node->db_.get(), &node->access_, node->engine_.get());
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT on Linux by default: a second node on the same
  // address would start and take half of the first one's connections.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(config.listen_address(), NodeServerCredentials(tls),
                           &node->port_);
  builder.RegisterService(node->reporting_.get());
  builder.RegisterService(node->admin_.get());
  builder.RegisterService(node->federation_.get());
  {
    // gRPC logs why it cannot bind in its own words; the operator gets the
    // reason in one line of ours.
    GrpcLogCapture capture;
    node->server_ = builder.BuildAndStart();
    if (node->server_ == nullptr || node->port_ == 0) {
      const std::string cause = OsErrorIn(capture.Take());
      return absl::UnavailableError(absl::StrCat(
          "listen_address: cannot listen on ", config.listen_address(), ": ",
          cause.empty() ? "in use by another process, or not an address of "
                          "this machine"
                        : cause));
    }
  }
  // Each service by name too (a load balancer or Kubernetes probe asks for
  // one); SetServingStatus(false) at shutdown then covers them all.
  grpc::HealthCheckServiceInterface* health =
      node->server_->GetHealthCheckService();
  for (const char* service : {v1::ReportingService::service_full_name(),
                              v1::FederationService::service_full_name(),
                              v1::AdminService::service_full_name()}) {
    health->SetServingStatus(service, true);
  }
  health->SetServingStatus(true);
  LogInfo("node ", node->topology_->self().code, " (",
          node->topology_->self().name, ", ",
          LevelName(node->topology_->self().level), ") with ",
          node->topology_->children().size(), " expected children, parent ",
          config.parent_address().empty() ? "none" : config.parent_address(),
          !tls.has_value()       ? ", plain TCP (no tls in the config)"
          : tls->crl_pem.empty() ? ", mutual TLS"
                                 : ", mutual TLS with a revocation list",
          node->access_.enabled()
              ? absl::StrCat(", ", config.tokens_size(), " tokens")
              : std::string(", no tokens asked for"),
          ", clock ", node->clock_->IsSimulated() ? "simulated" : "real",
          " at ", FormatVietnamTime(node->clock_->Now()));
  return node;
}

absl::StatusOr<AccessPolicy> NodeServer::BuildAccess(
    const v1::NodeConfig& config) const {
  std::set<std::string> children;
  for (const Child& c : topology_->children()) children.insert(c.unit->code);
  return AccessPolicy::Build(config.tokens(), topology_->self().code, children);
}

absl::Status NodeServer::CheckTokensNeedTls(const AccessPolicy& access) const {
  if (!access.enabled() || has_tls_) return absl::OkStatus();
  // Child nodes push without a token: only mutual TLS authenticates them.
  for (const Child& c : topology_->children()) {
    if (c.kind != v1::ChildConfig::KIND_NODE) continue;
    return absl::InvalidArgumentError(absl::StrCat(
        "config: tokens: child node ", c.unit->code,
        " pushes here without a token, so a node with tokens needs a tls "
        "block too (mutual TLS authenticates pushes; README \"Mutual TLS "
        "between nodes\"), or no tokens"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> NodeServer::Reload(const v1::NodeConfig& config) {
  ASSIGN_OR_RETURN(AccessPolicy access, BuildAccess(config));
  if (absl::Status tls = CheckTokensNeedTls(access); !tls.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        tls.message(), " (the tls block is read at start: restart the node)"));
  }
  const int before = access_.size();
  const int after = access.size();
  if (before > 0 && after == 0) {
    // An emptied list (a half-written file, a block commented out) must not
    // open the node by a signal.
    return absl::InvalidArgumentError(
        "config: tokens: none left; a reload does not stop asking for tokens "
        "(remove them and restart the node to run without)");
  }
  // The revocation list only: the certificate, key and CA stay those the
  // node runs with, and the new list is checked against them, whole, before
  // anything is applied.
  std::optional<std::set<std::string>> serials;
  absl::Time next_update = absl::InfiniteFuture();
  if (tls_.has_value()) {
    const std::string& file = config.tls().crl_file();
    if (file.empty() && crl_in_force_) {
      // Likewise, a list must not be dropped by a signal.
      return absl::InvalidArgumentError(
          "config: tls.crl_file: gone; a reload does not drop the revocation "
          "list (restart the node to run without)");
    }
    if (!file.empty()) {
      ASSIGN_OR_RETURN(const std::string crl_pem,
                       ReadWholeFile(file, "config: tls.crl_file"));
      absl::StatusOr<std::set<std::string>> read =
          RevokedSerials(crl_pem, tls_->ca_pem);
      if (!read.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "config: tls.crl_file ", file, ": ", read.status().message()));
      }
      TlsMaterial probe;
      probe.revoked = std::make_shared<SerialSet>(*read);
      if (IsRevoked(probe, tls_->cert_chain_pem)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "config: tls.crl_file ", file,
            ": revokes this node's own certificate (make a new one: "
            "deploy/make-certs.sh DIR UNIT, then restart)"));
      }
      if (!tls_->crl_directory.empty()) {
        // For OpenSSL's check of new handshakes, as far as it reads the
        // folder again (it may keep the list it read first until a
        // restart). Written first: a failure changes nothing.
        RETURN_IF_ERROR(
            WriteCrlDirectory(config_.data_dir(), crl_pem).status());
      }
      serials = *std::move(read);
      next_update = CrlNextUpdate(crl_pem);
    }
  }
  if (before == 0 && after > 0 && !has_tls_) {
    LogWarning(
        "config: tokens without tls: the tokens cross the network in clear "
        "text (fine on loopback only; see README \"Mutual TLS between "
        "nodes\")");
  }
  access_.Replace(std::move(access));
  std::string revocation;
  if (serials.has_value()) {
    const size_t was = revoked_->size();
    revoked_->Replace(*std::move(serials));
    crl_in_force_ = true;
    crl_next_update_ = next_update == absl::InfiniteFuture()
                           ? kNoCrl
                           : absl::ToUnixSeconds(next_update);
    revocation = absl::StrCat("; revocation list: ", revoked_->size(),
                              " revoked (were ", was, ")");
    TlsMaterial list;
    list.crl_next_update = next_update;
    for (const std::string& warning : ExpiryWarnings(
             list, topology_->self().code, RealClock().Now(), kExpiryAhead)) {
      LogWarning(warning);
    }
  }
  // What else differs from the config the node started with (but the tokens
  // and the list, taken above) waits for a restart.
  v1::NodeConfig started = config_, now = config;
  for (v1::NodeConfig* c : {&started, &now}) {
    if (c->has_tls()) c->mutable_tls()->clear_crl_file();
  }
  std::vector<std::string> others;
  const google::protobuf::Descriptor* d = v1::NodeConfig::descriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* f = d->field(i);
    if (f->name() == "tokens") continue;
    v1::NodeConfig a = started, b = now;
    const google::protobuf::Reflection* r = a.GetReflection();
    for (int j = 0; j < d->field_count(); ++j) {
      if (j == i) continue;
      r->ClearField(&a, d->field(j));
      r->ClearField(&b, d->field(j));
    }
    if (a.SerializeAsString() != b.SerializeAsString()) {
      others.push_back(f->name());
    }
  }
  return absl::StrCat(
      "tokens reloaded: ", after, " (were ", before, ")", revocation,
      others.empty() ? std::string()
                     : absl::StrCat("; not applied until a restart: ",
                                    absl::StrJoin(others, ", ")));
}

void NodeServer::Shutdown(absl::Duration grace) {
  if (server_) {
    server_->GetHealthCheckService()->SetServingStatus(false);
    // A relative deadline: gRPC measures it on its own clock.
    server_->Shutdown(
        gpr_time_from_millis(absl::ToInt64Milliseconds(grace), GPR_TIMESPAN));
    server_->Wait();
    server_.reset();
  }
  {
    absl::MutexLock lock(&notify_mu_);
    notify_ = nullptr;
    notify_dispatcher_ = nullptr;
  }
  uploader_.reset();    // stops sending; the outbox keeps what is not delivered
  dispatcher_.reset();  // stops the reminder senders; pending ones stay queued
  engine_.reset();      // drains queued operations
  parent_.reset();
  db_.reset();
}

NodeServer::~NodeServer() { Shutdown(absl::Seconds(5)); }

}  // namespace tonghop
