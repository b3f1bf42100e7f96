#include "libs/engine/topology.h"

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/engine/config.h"

namespace tonghop {
namespace {

using ::testing::HasSubstr;

// The rules of who owes what, written from the reference README, independently
// of Catalog::OwesDirectly.
bool InScopeOf(const v1::Indicator& ind, const std::string& province) {
  return ind.scopes().empty() ||
         std::find(ind.scopes().begin(), ind.scopes().end(), province) !=
             ind.scopes().end();
}
bool CommuneReports(const v1::Indicator& ind, const std::string& province) {
  return InScopeOf(ind, province) &&
         (ind.reported_by() == v1::REPORTED_BY_COMMUNE ||
          ind.reported_by() == v1::REPORTED_BY_BOTH);
}
bool DepartmentReports(const v1::Indicator& ind, const std::string& province,
                       const std::string& department) {
  return InScopeOf(ind, province) &&
         (ind.reported_by() == v1::REPORTED_BY_DEPARTMENT ||
          ind.reported_by() == v1::REPORTED_BY_BOTH) &&
         ind.responsible_code() == department;
}

class TopologyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto registry = Registry::LoadEmbedded();
    ASSERT_TRUE(registry.ok()) << registry.status();
    registry_ = *std::move(registry);
    auto catalog = Catalog::LoadEmbedded(*registry_);
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = *std::move(catalog);
  }

  static v1::NodeConfig Config(const std::string& unit, v1::Role role) {
    v1::NodeConfig config;
    config.set_unit(unit);
    config.set_role(role);
    config.set_listen_address("127.0.0.1:0");
    config.set_data_dir("/tmp/unused");
    return config;
  }
  static void AddChild(v1::NodeConfig* config, const std::string& code,
                       v1::ChildConfig::Kind kind = v1::ChildConfig::KIND_UNIT,
                       const std::string& name = "") {
    v1::ChildConfig* c = config->add_children();
    c->set_code(code);
    c->set_kind(kind);
    c->set_name(name);
  }
  absl::StatusOr<std::unique_ptr<Topology>> Build(
      const v1::NodeConfig& config) {
    return Topology::Build(config, registry_.get(), catalog_.get());
  }
  static std::vector<std::string> Codes(const std::vector<const Unit*>& units) {
    std::vector<std::string> out;
    for (const Unit* u : units) out.push_back(u->code);
    return out;
  }
  const IndicatorPlan* FindPlan(const Topology& t, v1::Frequency f,
                                const std::string& code) {
    for (const IndicatorPlan& p : t.Plans(f)) {
      if (p.indicator->code() == code) return &p;
    }
    return nullptr;
  }
  void ExpectInvalid(const v1::NodeConfig& config, const std::string& field) {
    auto t = Build(config);
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument)
        << t.status();
    EXPECT_THAT(t.status().message(), HasSubstr(field));
  }

  std::unique_ptr<Registry> registry_;
  std::unique_ptr<Catalog> catalog_;
};

TEST_F(TopologyTest, CityDefaultsToItsCommunesAndResponsibleDepartments) {
  auto t = Build(Config("31", v1::ROLE_CITY));
  ASSERT_TRUE(t.ok()) << t.status();
  std::set<std::string> departments;
  for (const v1::Indicator& ind : catalog_->proto().indicators()) {
    if (!InScopeOf(ind, "31") || ind.reported_by() == v1::REPORTED_BY_COMMUNE)
      continue;
    departments.insert("31." + ind.responsible_code());
  }
  EXPECT_EQ(departments,
            (std::set<std::string>{"31.VP", "31.SKHCN", "31.STC"}));

  std::set<std::string> communes, got_departments;
  for (const Child& c : (*t)->children()) {
    EXPECT_EQ(c.kind, v1::ChildConfig::KIND_UNIT) << c.unit->code;
    EXPECT_EQ(c.unit->parent, "31") << c.unit->code;
    if (c.unit->level == Level::kCommune) {
      EXPECT_TRUE(communes.insert(c.unit->code).second) << c.unit->code;
    } else {
      EXPECT_EQ(c.unit->level, Level::kDepartment) << c.unit->code;
      EXPECT_TRUE(got_departments.insert(c.unit->code).second) << c.unit->code;
    }
  }
  EXPECT_EQ(communes.size(), 114u);
  EXPECT_EQ(got_departments, departments);
  EXPECT_EQ((*t)->children().size(), 114u + departments.size());
  EXPECT_EQ((*t)->self().code, "31");
}

TEST_F(TopologyTest, CentralDefaultsToEveryCityAsANode) {
  auto t = Build(Config("VN", v1::ROLE_CENTRAL));
  ASSERT_TRUE(t.ok()) << t.status();
  std::set<std::string> cities;
  for (const Child& c : (*t)->children()) {
    EXPECT_EQ(c.kind, v1::ChildConfig::KIND_NODE) << c.unit->code;
    EXPECT_EQ(c.unit->level, Level::kCity) << c.unit->code;
    cities.insert(c.unit->code);
  }
  EXPECT_EQ(cities.size(), 34u);
  EXPECT_EQ((*t)->children().size(), 34u);
}

TEST_F(TopologyTest, WardRegistersItsInternalOfficeAndAcceptsIt) {
  v1::NodeConfig config = Config("10525", v1::ROLE_WARD);
  AddChild(&config, "10525.VHXH", v1::ChildConfig::KIND_UNIT,
           "Phòng Văn hóa - Xã hội");
  auto t = Build(config);
  ASSERT_TRUE(t.ok()) << t.status();
  const Unit* office = registry_->Find("10525.VHXH");
  ASSERT_NE(office, nullptr);
  EXPECT_EQ(office->level, Level::kOffice);
  EXPECT_EQ(office->name, "Phòng Văn hóa - Xã hội");
  EXPECT_EQ(office->parent, "10525");
  ASSERT_EQ((*t)->children().size(), 1u);
  EXPECT_EQ((*t)->FindChild("10525.VHXH")->unit, office);
  EXPECT_TRUE((*t)->AcceptsSubmitter(*office).ok());
  EXPECT_TRUE((*t)->AcceptsSubmitter(*registry_->Find("10525")).ok());
}

TEST_F(TopologyTest, WardAndDepartmentExpectNoChildrenByDefault) {
  auto ward = Build(Config("10525", v1::ROLE_WARD));
  ASSERT_TRUE(ward.ok()) << ward.status();
  EXPECT_TRUE((*ward)->children().empty());
  auto dept = Build(Config("31.SKHCN", v1::ROLE_DEPARTMENT));
  ASSERT_TRUE(dept.ok()) << dept.status();
  EXPECT_TRUE((*dept)->children().empty());
}

TEST_F(TopologyTest, RefusesBadConfigsNamingTheField) {
  ExpectInvalid(Config("99999", v1::ROLE_WARD), "unit");
  ExpectInvalid(Config("31", v1::ROLE_WARD), "role");
  ExpectInvalid(Config("10525", v1::ROLE_CITY), "role");
  ExpectInvalid(Config("VN", v1::ROLE_CITY), "role");

  const std::string can_tho = registry_->CommunesOf("92").at(0)->code;
  v1::NodeConfig foreign = Config("31", v1::ROLE_CITY);
  AddChild(&foreign, "10525");
  AddChild(&foreign, can_tho);
  ExpectInvalid(foreign, "children[1].code");

  v1::NodeConfig central_under_city = Config("31", v1::ROLE_CITY);
  AddChild(&central_under_city, "VN");
  ExpectInvalid(central_under_city, "children[0].code");

  v1::NodeConfig twice = Config("31", v1::ROLE_CITY);
  AddChild(&twice, "10525");
  AddChild(&twice, "10507");
  AddChild(&twice, "10525", v1::ChildConfig::KIND_NODE);
  ExpectInvalid(twice, "children[2].code");

  v1::NodeConfig nameless = Config("10525", v1::ROLE_WARD);
  AddChild(&nameless, "10525.XYZ");
  ExpectInvalid(nameless, "children[0].code");
  EXPECT_EQ(registry_->Find("10525.XYZ"), nullptr);

  v1::NodeConfig kindless = Config("31", v1::ROLE_CITY);
  AddChild(&kindless, "10525");
  AddChild(&kindless, "10507", v1::ChildConfig::KIND_UNSPECIFIED);
  ExpectInvalid(kindless, "children[1].kind");

  // A city submits nothing itself: as a unit it could never report.
  v1::NodeConfig city_as_unit = Config("VN", v1::ROLE_CENTRAL);
  AddChild(&city_as_unit, "31", v1::ChildConfig::KIND_NODE);
  AddChild(&city_as_unit, "92", v1::ChildConfig::KIND_UNIT);
  ExpectInvalid(city_as_unit, "children[1].kind");

  v1::NodeConfig stranger = Config("31", v1::ROLE_CITY);
  AddChild(&stranger, "10525");
  stranger.mutable_channels()->add_contacts()->set_unit("31");
  stranger.mutable_channels()->add_contacts()->set_unit("10525");
  stranger.mutable_channels()->add_contacts()->set_unit("10507");
  ExpectInvalid(stranger, "channels.contacts[2].unit");
}

TEST_F(TopologyTest, AcceptsOnlyItsOwnUnitAndUnitChildren) {
  v1::NodeConfig config = Config("31", v1::ROLE_CITY);
  AddChild(&config, "10525", v1::ChildConfig::KIND_NODE);
  AddChild(&config, "10507", v1::ChildConfig::KIND_UNIT);
  AddChild(&config, "31.SKHCN", v1::ChildConfig::KIND_UNIT);
  auto t = Build(config);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TRUE((*t)->AcceptsSubmitter(*registry_->Find("31")).ok());
  EXPECT_TRUE((*t)->AcceptsSubmitter(*registry_->Find("10507")).ok());
  EXPECT_TRUE((*t)->AcceptsSubmitter(*registry_->Find("31.SKHCN")).ok());
  absl::Status node = (*t)->AcceptsSubmitter(*registry_->Find("10525"));
  EXPECT_EQ(node.code(), absl::StatusCode::kFailedPrecondition) << node;
  EXPECT_THAT(node.message(), HasSubstr("10525"));
  for (const std::string stranger : {"31.VP", "10532", "92", "VN"}) {
    const Unit* u = registry_->Find(stranger);
    ASSERT_NE(u, nullptr) << stranger;
    absl::Status s = (*t)->AcceptsSubmitter(*u);
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition)
        << stranger << ": " << s;
    EXPECT_THAT(s.message(), HasSubstr(stranger));
  }
}

TEST_F(TopologyTest, CityPlansListExactlyTheChildrenOwingEachIndicator) {
  auto t = Build(Config("31", v1::ROLE_CITY));
  ASSERT_TRUE(t.ok()) << t.status();
  const auto& plans = (*t)->Plans(v1::FREQUENCY_MONTHLY);
  std::vector<std::string> codes, expected_codes;
  for (const IndicatorPlan& p : plans) codes.push_back(p.indicator->code());
  for (const v1::Indicator& ind : catalog_->proto().indicators()) {
    if (ind.frequency() == v1::FREQUENCY_MONTHLY && InScopeOf(ind, "31")) {
      expected_codes.push_back(ind.code());
    }
  }
  std::sort(expected_codes.begin(), expected_codes.end());
  EXPECT_EQ(codes, expected_codes);
  EXPECT_TRUE(std::is_sorted(codes.begin(), codes.end()));

  const std::vector<std::string> communes = Codes(registry_->CommunesOf("31"));
  for (const IndicatorPlan& p : plans) {
    EXPECT_FALSE(p.own) << p.indicator->code();
    std::vector<std::string> expected;
    for (const Child& c : (*t)->children()) {
      bool owes =
          c.unit->level == Level::kCommune
              ? CommuneReports(*p.indicator, "31")
              : DepartmentReports(*p.indicator, "31", c.unit->department);
      if (owes) expected.push_back(c.unit->code);
    }
    EXPECT_EQ(Codes(p.children), expected) << p.indicator->code();
  }

  const IndicatorPlan* p02 = FindPlan(**t, v1::FREQUENCY_MONTHLY, "QD11-02");
  ASSERT_NE(p02, nullptr);
  EXPECT_EQ(Codes(p02->children), std::vector<std::string>{"31.VP"});
  const IndicatorPlan* p01 = FindPlan(**t, v1::FREQUENCY_MONTHLY, "QD11-01");
  ASSERT_NE(p01, nullptr);
  EXPECT_EQ(Codes(p01->children), communes);
  const IndicatorPlan* p06 = FindPlan(**t, v1::FREQUENCY_MONTHLY, "QD11-06");
  ASSERT_NE(p06, nullptr);
  std::vector<std::string> both = communes;
  both.push_back("31.VP");
  EXPECT_EQ(Codes(p06->children), both);

  // HP-DIGEC (annual, 31.STC) is an annual plan, not a monthly one.
  const IndicatorPlan* digec = FindPlan(**t, v1::FREQUENCY_ANNUAL, "HP-DIGEC");
  ASSERT_NE(digec, nullptr);
  EXPECT_EQ(Codes(digec->children), std::vector<std::string>{"31.STC"});
  EXPECT_EQ(FindPlan(**t, v1::FREQUENCY_MONTHLY, "HP-DIGEC"), nullptr);
  EXPECT_TRUE((*t)->Plans(v1::FREQUENCY_HALF_YEARLY).empty());
}

TEST_F(TopologyTest, WardPlansAreItsOwnCommuneIndicators) {
  auto t = Build(Config("10525", v1::ROLE_WARD));
  ASSERT_TRUE(t.ok()) << t.status();
  std::vector<std::string> codes, expected;
  for (const IndicatorPlan& p : (*t)->Plans(v1::FREQUENCY_MONTHLY)) {
    codes.push_back(p.indicator->code());
    EXPECT_TRUE(p.own) << p.indicator->code();
    EXPECT_TRUE(p.children.empty()) << p.indicator->code();
  }
  for (const v1::Indicator& ind : catalog_->proto().indicators()) {
    if (ind.frequency() == v1::FREQUENCY_MONTHLY && CommuneReports(ind, "31")) {
      expected.push_back(ind.code());
    }
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(codes, expected);
  EXPECT_NE(std::find(codes.begin(), codes.end(), "QD11-01"), codes.end());
  EXPECT_EQ(std::find(codes.begin(), codes.end(), "QD11-02"), codes.end());
}

constexpr char kValidConfig[] = R"pb(
  unit: "31"
  role: ROLE_CITY
  listen_address: "127.0.0.1:7001"
  data_dir: "/var/lib/tonghop/31"
  parent_address: "127.0.0.1:7000"
  children { code: "10525" kind: KIND_NODE }
  children { code: "31.SKHCN" kind: KIND_UNIT name: "Sở Khoa học và Công nghệ" }
)pb";

TEST(ParseNodeConfigTest, ValidTextConfig) {
  auto config = ParseNodeConfig(kValidConfig);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->unit(), "31");
  EXPECT_EQ(config->role(), v1::ROLE_CITY);
  EXPECT_EQ(config->listen_address(), "127.0.0.1:7001");
  EXPECT_EQ(config->data_dir(), "/var/lib/tonghop/31");
  EXPECT_EQ(config->parent_address(), "127.0.0.1:7000");
  ASSERT_EQ(config->children_size(), 2);
  EXPECT_EQ(config->children(0).kind(), v1::ChildConfig::KIND_NODE);
  EXPECT_EQ(config->children(1).name(), "Sở Khoa học và Công nghệ");
}

TEST(ParseNodeConfigTest, SyntaxErrorNamesTheLine) {
  auto config = ParseNodeConfig("unit: \"31\"\nrole ROLE_CITY\n");
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument)
      << config.status();
  EXPECT_THAT(config.status().message(), HasSubstr("line 2"));
  auto unknown =
      ParseNodeConfig("unit: \"31\"\nrole: ROLE_CITY\ncolour: \"red\"\n");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument)
      << unknown.status();
  EXPECT_THAT(unknown.status().message(), HasSubstr("line 3"));
}

TEST(ParseNodeConfigTest, EachMissingRequiredFieldIsNamed) {
  const std::vector<std::pair<std::string, std::string>> lines = {
      {"unit", "unit: \"31\"\n"},
      {"role", "role: ROLE_CITY\n"},
      {"listen_address", "listen_address: \"127.0.0.1:0\"\n"},
      {"data_dir", "data_dir: \"/tmp/x\"\n"},
  };
  for (size_t skip = 0; skip < lines.size(); ++skip) {
    std::string text;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i != skip) text += lines[i].second;
    }
    auto config = ParseNodeConfig(text);
    EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument)
        << lines[skip].first << ": " << config.status();
    EXPECT_THAT(config.status().message(), HasSubstr(lines[skip].first));
  }
}

TEST(ParseNodeConfigTest, ValuesOutOfTheirRangeAreNamed) {
  const std::string base =
      "unit: \"31\"\nrole: ROLE_CITY\nlisten_address: \"127.0.0.1:0\"\n"
      "data_dir: \"/tmp/x\"\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"children_deadlines { monthly { day: 40 } }",
       "children_deadlines.monthly.day: 40"},
      {"parent_deadlines { annual { day: -1 } }",
       "parent_deadlines.annual.day: -1"},
      {"children_deadlines { annual { day: 30 month: 13 } }",
       "children_deadlines.annual.month: 13"},
      {"children_deadlines { annual { day: 31 month: 11 } }",
       "children_deadlines.annual.day: 31 is past the end of month 11 (30 "
       "days)"},
      {"parent_deadlines { annual { day: 30 month: 2 } }",
       "parent_deadlines.annual.day: 30 is past the end of month 2 (29 days "
       "in a leap year)"},
      {"reminders { hour: 25 }", "reminders.hour: 25"},
      {"reminders { before_days: [5, 0] }", "reminders.before_days[1]: 0"},
      {"reminders { overdue_days: -2 }", "reminders.overdue_days[0]: -2"},
      {"reminders { escalation_day: -1 }", "reminders.escalation_day"},
      {"reminders { max_retry_seconds: -5 }", "reminders.max_retry_seconds"},
      {"channels { webhook_urls: \"ftp://x\" }", "channels.webhook_urls[0]"},
      {"channels { smtp_url: \"ftp://x\" }", "channels.smtp_url: 'ftp://x'"},
      {"auto_lock_days: -3", "auto_lock_days: -3"},
      {"auto_finalize_lead_hours: -48", "auto_finalize_lead_hours: -48"},
      {"parent_address: \"::::garbage\"", "parent_address: '::::garbage'"},
      {"parent_address: \"127.0.0.1:0\"", "parent_address: '127.0.0.1:0'"},
      {"parent_address: \":7000\"", "parent_address: ':7000' has no host"},
  };
  for (const auto& [line, field] : cases) {
    auto config = ParseNodeConfig(base + line + "\n");
    EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument)
        << line;
    EXPECT_THAT(config.status().message(), HasSubstr(field)) << line;
  }
  // gRPC would read these ports modulo 65536, or a name as "in use".
  for (const auto& [address, message] :
       std::vector<std::pair<std::string, std::string>>{
           {"127.0.0.1:99999", "listen_address: '127.0.0.1:99999'"},
           {"127.0.0.1:abc", "listen_address: '127.0.0.1:abc'"},
           {"127.0.0.1", "listen_address: '127.0.0.1' has no port"},
           {"::1:7000", "is not a host (an IPv6 address goes in brackets)"}}) {
    auto config = ParseNodeConfig(
        "unit: \"31\"\nrole: ROLE_CITY\ndata_dir: \"/tmp/x\"\n"
        "listen_address: \"" +
        address + "\"\n");
    EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument)
        << address;
    EXPECT_THAT(config.status().message(), HasSubstr(message)) << address;
  }
  // The addresses gRPC takes as they are written.
  for (const std::string address :
       {"127.0.0.1:65535", "[::1]:50051", "localhost:7000", "0.0.0.0:0",
        "unix:/tmp/tonghop.sock", "dns:///city.example.gov.vn:443"}) {
    const std::string config =
        "unit: \"31\"\nrole: ROLE_CITY\ndata_dir: \"/tmp/x\"\n"
        "listen_address: \"" +
        address + "\"\n";
    EXPECT_TRUE(ParseNodeConfig(config).ok()) << address;
  }
  EXPECT_TRUE(ParseNodeConfig(base +
                              "parent_address: \"[::1]:7000\"\n"
                              "channels { smtp_url: \"smtps://m:465\" }\n")
                  .ok());
  // The largest day and month are accepted.
  EXPECT_TRUE(ParseNodeConfig(base +
                              "children_deadlines { annual { day: 31 month: "
                              "12 } }\nreminders { hour: 23 }\n")
                  .ok());
}

TEST(ParseNodeConfigTest, TheCentralNodeHasNoParent) {
  auto config = ParseNodeConfig(
      "unit: \"VN\"\nrole: ROLE_CENTRAL\nlisten_address: \"127.0.0.1:0\"\n"
      "data_dir: \"/tmp/x\"\nparent_address: \"127.0.0.1:7000\"\n");
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(config.status().message(), HasSubstr("parent_address"));
}

}  // namespace
}  // namespace tonghop
