#include "libs/registry/registry.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tonghop {
namespace {

using ::testing::HasSubstr;

TEST(RegistryTest, EmbeddedHasTheWholeCountry) {
  auto r = Registry::LoadEmbedded();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)->CountLevel(Level::kCity), 34);
  EXPECT_EQ((*r)->CountLevel(Level::kCommune), 3321);
  EXPECT_EQ((*r)->CommunesOf("31").size(), 114u);
  EXPECT_EQ((*r)->CommunesOf("79").size(), 168u);
  EXPECT_EQ((*r)->CommuneCount("79"), 168);
  EXPECT_EQ((*r)->CommuneCount("00"), 0);
  const Unit* hd = (*r)->Find("10525");
  ASSERT_NE(hd, nullptr);
  EXPECT_EQ(hd->name, "Phường Hải Dương");
  EXPECT_EQ(hd->parent, "31");
  const Unit* skhcn = (*r)->Find("31.SKHCN");
  ASSERT_NE(skhcn, nullptr);
  EXPECT_EQ(skhcn->level, Level::kDepartment);
  EXPECT_EQ(skhcn->department, "SKHCN");
  EXPECT_EQ((*r)->Find("VN")->level, Level::kCentral);
  EXPECT_EQ((*r)->Find("31")->parent, "VN");
  EXPECT_EQ((*r)->Find("1052"), nullptr);
}

TEST(RegistryTest, CodesKeepLeadingZeros) {
  auto r = Registry::LoadEmbedded();
  ASSERT_TRUE(r.ok());
  ASSERT_NE((*r)->Find("00004"), nullptr);
  EXPECT_EQ((*r)->Find("00004")->province, "01");
  EXPECT_EQ((*r)->Find("4"), nullptr);
}

TEST(RegistryTest, Offices) {
  auto r = Registry::LoadEmbedded();
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE((*r)->AddOffice("10525.VHXH", "Phòng Văn hóa - Xã hội").ok());
  const Unit* office = (*r)->Find("10525.VHXH");
  ASSERT_NE(office, nullptr);
  EXPECT_EQ(office->level, Level::kOffice);
  EXPECT_EQ(office->parent, "10525");
  EXPECT_EQ(office->province, "31");
  EXPECT_EQ((*r)->AddOffice("10525.VHXH", "x").code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ((*r)->AddOffice("99999.X", "x").code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ((*r)->AddOffice("10525.vhxh", "x").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*r)->AddOffice("10525.A", "").code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RegistryTest, RejectsInconsistentFiles) {
  const char* depts = "code,name_vi,name_en\nVP,Văn phòng,Office\n";
  const char* header =
      "province_code,province_name,unit_code,unit_name,unit_type,unit_name_"
      "en\n";
  auto dup = Registry::Load(std::string(header) +
                                "31,Hải Phòng,10525,A,Phường,A\n"
                                "31,Hải Phòng,10525,B,Phường,B\n",
                            depts);
  EXPECT_THAT(dup.status().message(),
              HasSubstr("line 3: unit_code '10525' appears twice"));
  auto renamed = Registry::Load(std::string(header) +
                                    "31,Hải Phòng,10525,A,Phường,A\n"
                                    "31,Hai Phong,10526,B,Phường,B\n",
                                depts);
  EXPECT_THAT(renamed.status().message(), HasSubstr("line 3"));
  auto short_code = Registry::Load(
      std::string(header) + "31,Hải Phòng,525,A,Phường,A\n", depts);
  EXPECT_THAT(short_code.status().message(), HasSubstr("unit_code '525'"));
  auto bad_dept = Registry::Load(header, "code,name_vi\nvp,x\n");
  EXPECT_THAT(bad_dept.status().message(),
              HasSubstr("departments.csv: line 2"));
}

}  // namespace
}  // namespace tonghop
