# cmake -DIN=file -DOUT=file.cc -DNAME=Fn -P embed.cmake
# Writes a C++ source defining `absl::string_view tonghop::data::Fn()` returning IN's bytes.
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x..,){32})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}.tmp"
  "// Generated from ${IN} by cmake/embed.cmake. Do not edit.\n"
  "#include \"absl/strings/string_view.h\"\n"
  "namespace tonghop::data {\n"
  "namespace { const unsigned char kBytes[] = {\n${bytes}0};\n}  // namespace\n"
  "absl::string_view ${NAME}() { return absl::string_view(reinterpret_cast<const char*>(kBytes), sizeof(kBytes) - 1); }\n"
  "}  // namespace tonghop::data\n")
file(RENAME "${OUT}.tmp" "${OUT}")
