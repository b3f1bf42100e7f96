#include "libs/auth/access.h"

#include <atomic>
#include <thread>

#include "absl/strings/ascii.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tonghop {
namespace {

using ::testing::HasSubstr;

v1::AccessToken Token(const std::string& secret, const std::string& actor,
                      const std::string& unit) {
  v1::AccessToken t;
  t.set_sha256(Sha256Hex(secret));
  t.set_actor(actor);
  t.set_unit(unit);
  return t;
}

// Ward node 10525 with two offices: its secretariat's token and one office's.
absl::StatusOr<AccessPolicy> Ward(std::vector<v1::AccessToken> extra = {}) {
  google::protobuf::RepeatedPtrField<v1::AccessToken> tokens;
  *tokens.Add() = Token("secret-ward", "Văn phòng phường", "10525");
  *tokens.Add() = Token("secret-vhxh", "Nguyễn Thị Lan", "10525.VHXH");
  for (auto& t : extra) *tokens.Add() = t;
  return AccessPolicy::Build(tokens, "10525", {"10525.VHXH", "10525.VP"});
}

std::string Bearer(const std::string& token) { return "Bearer " + token; }

TEST(Sha256HexTest, KnownDigest) {
  // FIPS 180-2's "abc".
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(AccessPolicyTest, NoTokenConfiguredChecksNothing) {
  EXPECT_FALSE(AccessPolicy().enabled());
  auto policy = AccessPolicy::Build({}, "10525", {});
  ASSERT_TRUE(policy.ok());
  EXPECT_FALSE(policy->enabled());
}

TEST(AccessPolicyTest, ATokenGrantsItsUnitAndActor) {
  auto policy = Ward();
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_TRUE(policy->enabled());
  const std::string header = Bearer("secret-vhxh");
  auto grant = policy->Authenticate(&header);
  ASSERT_TRUE(grant.ok()) << grant.status();
  EXPECT_EQ(grant->actor, "Nguyễn Thị Lan");
  EXPECT_EQ(grant->unit, "10525.VHXH");
  EXPECT_FALSE(grant->secretariat);
  EXPECT_TRUE(grant->checked);  // a token authenticated the call
  EXPECT_FALSE(Grant().checked);
  EXPECT_TRUE(policy->ForUnit(*grant, "10525.VHXH", "unit").ok());

  absl::Status other = policy->ForUnit(*grant, "10525.VP", "unit");
  EXPECT_EQ(other.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(other.message(),
              HasSubstr("unit: 10525.VP: the token of Nguyễn Thị Lan acts "
                        "for 10525.VHXH only"));
  // The node's own report and the node-wide calls are the secretariat's.
  EXPECT_THAT(policy->ForUnit(*grant, "", "unit").message(),
              HasSubstr("unit: 10525:"));
  EXPECT_EQ(policy->Secretariat(*grant, "lock").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AccessPolicyTest, ReplaceTakesTheNewTokensWhileCallsAreChecked) {
  auto policy = Ward();
  ASSERT_TRUE(policy.ok()) << policy.status();
  const std::string lan = Bearer("secret-vhxh");
  const std::string vp = Bearer("secret-vp");
  // Checked from another thread all along, as gRPC's threads do.
  std::atomic<bool> started{false}, done{false};
  std::atomic<int> wrong{0};
  std::thread reader([&] {
    started = true;
    for (int i = 0; i < 100000 && !done; ++i) {
      // Either table, never a mix: Lan's grant, or no such token.
      auto grant = policy->Authenticate(&lan);
      if (grant.ok()
              ? grant->unit != "10525.VHXH"
              : grant.status().code() != absl::StatusCode::kUnauthenticated) {
        ++wrong;
      }
    }
  });
  for (int i = 0; i < 100000 && !started; ++i) std::this_thread::yield();
  google::protobuf::RepeatedPtrField<v1::AccessToken> tokens;
  *tokens.Add() = Token("secret-ward", "Văn phòng phường", "10525");
  *tokens.Add() = Token("secret-vp", "Lê Văn Nam", "10525.VP");
  auto replacing =
      AccessPolicy::Build(tokens, "10525", {"10525.VHXH", "10525.VP"});
  ASSERT_TRUE(replacing.ok());
  policy->Replace(*std::move(replacing));
  done = true;
  reader.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(policy->Authenticate(&lan).status().code(),
            absl::StatusCode::kUnauthenticated);
  auto grant = policy->Authenticate(&vp);
  ASSERT_TRUE(grant.ok()) << grant.status();
  EXPECT_EQ(grant->unit, "10525.VP");
  EXPECT_EQ(policy->size(), 2);
  // A policy without tokens turns the checks off.
  policy->Replace(AccessPolicy());
  EXPECT_FALSE(policy->enabled());
}

TEST(AccessPolicyTest, TheSchemeIsCaseInsensitiveAndSpacesAreTrimmed) {
  auto policy = Ward();
  ASSERT_TRUE(policy.ok());
  for (const std::string& header :
       {std::string("bearer secret-ward"), std::string("BEARER  secret-ward "),
        std::string(" Bearer secret-ward\t")}) {
    SCOPED_TRACE(header);
    auto grant = policy->Authenticate(&header);
    ASSERT_TRUE(grant.ok()) << grant.status();
    EXPECT_TRUE(grant->secretariat);
  }
}

TEST(AccessPolicyTest, TheSecretariatMayDoEverything) {
  auto policy = Ward();
  ASSERT_TRUE(policy.ok());
  const std::string header = Bearer("secret-ward");
  auto grant = policy->Authenticate(&header);
  ASSERT_TRUE(grant.ok());
  EXPECT_TRUE(grant->secretariat);
  EXPECT_TRUE(policy->ForUnit(*grant, "", "unit").ok());
  EXPECT_TRUE(policy->ForUnit(*grant, "10525.VP", "unit").ok());
  EXPECT_TRUE(policy->Secretariat(*grant, "lock").ok());
}

TEST(AccessPolicyTest, MissingMalformedAndUnknownTokensAreUnauthenticated) {
  auto policy = Ward();
  ASSERT_TRUE(policy.ok());
  EXPECT_THAT(policy->Authenticate(nullptr).status().message(),
              HasSubstr("asks for a token"));
  for (const std::string& header :
       {std::string("secret-ward"), std::string("Bearer "),
        std::string("Bearer    "), std::string("Basic secret-ward"),
        Bearer("secret-war")}) {
    SCOPED_TRACE(header);
    EXPECT_EQ(policy->Authenticate(&header).status().code(),
              absl::StatusCode::kUnauthenticated);
  }
}

TEST(AccessPolicyTest, BadEntriesAreRefusedByField) {
  v1::AccessToken short_hash = Token("x", "A", "10525");
  short_hash.set_sha256("abc");
  EXPECT_THAT(Ward({short_hash}).status().message(),
              HasSubstr("config: tokens[2].sha256: 'abc' is not a SHA-256"));
  EXPECT_THAT(Ward({Token("x", "", "10525")}).status().message(),
              HasSubstr("config: tokens[2].actor: required"));
  EXPECT_THAT(Ward({Token("x", "A", "10532")}).status().message(),
              HasSubstr("config: tokens[2].unit: '10532' is neither this "
                        "node's unit 10525 nor one of its children"));
  EXPECT_THAT(Ward({Token("", "A", "10525")}).status().message(),
              HasSubstr("config: tokens[2].sha256: the hash of the empty "
                        "token"));
  v1::AccessToken upper = Token("secret-ward", "B", "10525.VP");
  upper.set_sha256(absl::AsciiStrToUpper(upper.sha256()));
  EXPECT_THAT(Ward({upper}).status().message(),
              HasSubstr("config: tokens[2].sha256: the same token"));
}

}  // namespace
}  // namespace tonghop
