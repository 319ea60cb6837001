#include "support/archive.hpp"

#include <catch2/catch.hpp>

#include "support.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using hipaa::detail::base64;
using hipaa::detail::crc32;
using hipaa::detail::hex;
using hipaa::detail::make_zip;
using hipaa::detail::sha256;
using hipaa::detail::ZipEntry;
using hipaa::test::ScratchDir;

namespace {

std::string sha256_hex(std::string_view s) { return hex(sha256(s)); }

void write_bytes(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Single-quoted for /bin/sh; temp paths never contain a quote in practice.
std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

bool tool_available(const std::string& tool) {
  return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0;
}

std::uint32_t le32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v |= std::uint32_t{static_cast<unsigned char>(s[at + i])} << (8 * i);
  return v;
}

// A Lambda-shaped bundle exercising subdirectories, an explicit directory
// entry, an executable, an empty file and every byte value (incl. NUL).
std::vector<ZipEntry> sample_entries() {
  std::string all_bytes;
  for (int round = 0; round < 2; ++round)
    for (int b = 0; b < 256; ++b) all_bytes.push_back(static_cast<char>(b));
  return {
      {"index.py", "import json\n\ndef handler(event, context):\n    return {'statusCode': 200}\n", 0644},
      {"lib/", "", 0755},
      {"lib/util.py", "def helper():\n    return 42\n", 0644},
      {"bin/bootstrap", "#!/bin/sh\nexec python3 index.py\n", 0755},
      {"data/blob.bin", all_bytes, 0644},
      {"empty.txt", "", 0644},
  };
}

}  // namespace

TEST_CASE("sha256 matches the FIPS 180-2 known-answer vectors", "[archive]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // 448-bit message: padding no longer fits in the first block, so a second is needed.
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1'000'000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 is correct at every padding boundary around one block", "[archive]") {
  // Lengths 55/56/63/64/65 flip between one and two padding blocks; compare
  // against digests computed by coreutils sha256sum.
  CHECK(sha256_hex(std::string(55, 'a')) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK(sha256_hex(std::string(56, 'a')) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK(sha256_hex(std::string(63, 'a')) == "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34");
  CHECK(sha256_hex(std::string(64, 'a')) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
  CHECK(sha256_hex(std::string(65, 'a')) == "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0");
}

TEST_CASE("base64 matches the RFC 4648 test vectors", "[archive]") {
  CHECK(base64(std::string_view("")) == "");
  CHECK(base64(std::string_view("f")) == "Zg==");
  CHECK(base64(std::string_view("fo")) == "Zm8=");
  CHECK(base64(std::string_view("foo")) == "Zm9v");
  CHECK(base64(std::string_view("foob")) == "Zm9vYg==");
  CHECK(base64(std::string_view("fooba")) == "Zm9vYmE=");
  CHECK(base64(std::string_view("foobar")) == "Zm9vYmFy");
}

TEST_CASE("base64 of raw bytes uses the standard alphabet including + and /", "[archive]") {
  const std::vector<std::uint8_t> bytes = {0xFB, 0xFF, 0xBF, 0x00};
  CHECK(base64(std::span<const std::uint8_t>(bytes)) == "+/+/AA==");
}

TEST_CASE("hex renders each byte as two lowercase digits", "[archive]") {
  const std::vector<std::uint8_t> bytes = {0x00, 0x0F, 0xA0, 0xFF};
  CHECK(hex(bytes) == "000fa0ff");
  CHECK(hex(std::span<const std::uint8_t>()) == "");
}

TEST_CASE("crc32 of the standard check string is 0xCBF43926", "[archive]") {
  CHECK(crc32("123456789") == 0xCBF43926U);
  CHECK(crc32("") == 0U);
}

TEST_CASE("make_zip produces identical bytes for identical entries", "[archive]") {
  const auto entries = sample_entries();
  const std::string first = make_zip(entries);
  const std::string second = make_zip(entries);
  CHECK(first == second);
  CHECK(first.size() > 0);
}

TEST_CASE("make_zip output is pinned so bundle hashes stay stable across releases", "[archive]") {
  // Deployed stacks key Lambda code on this hash; if the format ever has to
  // change, update the pin deliberately (every function will be redeployed).
  // These bytes were checked to be identical to what Python 3.11 zipfile writes
  // for the same entries with date_time=(1980,1,1,0,0,0) and create_system=3.
  const std::vector<ZipEntry> entries = {{"index.py", "print('hi')\n", 0644}, {"run.sh", "#!/bin/sh\n", 0755}};
  CHECK(sha256_hex(make_zip(entries)) == "1566848a378297135ce55fb7b6d35e73e13df2ec9c2cfc4700ecb462452a7cc8");
}

TEST_CASE("make_zip starts with a local file header and ends with the central directory end record", "[archive]") {
  const auto entries = sample_entries();
  const std::string zip = make_zip(entries);
  REQUIRE(zip.size() >= 22);
  CHECK(zip.substr(0, 4) == std::string("PK\x03\x04", 4));

  const std::size_t eocd = zip.size() - 22;
  CHECK(zip.substr(eocd, 4) == std::string("PK\x05\x06", 4));
  CHECK(le32(zip, eocd + 8) == ((entries.size() << 16) | entries.size()));  // entry counts
  const std::uint32_t cd_size = le32(zip, eocd + 12);
  const std::uint32_t cd_offset = le32(zip, eocd + 16);
  CHECK(std::size_t{cd_offset} + cd_size == eocd);
  CHECK(zip.substr(cd_offset, 4) == std::string("PK\x01\x02", 4));
  // Version made by: high byte 3 = unix, so external attributes are st_mode bits.
  CHECK(static_cast<unsigned char>(zip[cd_offset + 5]) == 3);
  // External attributes of the first entry: regular file, rw-r--r--.
  CHECK(le32(zip, cd_offset + 38) == (0100644U << 16));
  // DOS time 00:00 and date 1980-01-01 in the local header.
  CHECK(le32(zip, 10) == (0x0021U << 16));
}

TEST_CASE("make_zip of no entries is just the 22-byte end of central directory record", "[archive]") {
  const std::string zip = make_zip({});
  CHECK(zip == std::string("PK\x05\x06", 4) + std::string(18, '\0'));
}

TEST_CASE("make_zip rejects names that could escape the extraction directory", "[archive]") {
  auto zip_one = [](std::string name, std::string contents = "x") {
    const std::vector<ZipEntry> entries = {{std::move(name), std::move(contents), 0644}};
    return make_zip(entries);
  };
  CHECK_THROWS_AS(zip_one(""), std::invalid_argument);
  CHECK_THROWS_AS(zip_one("/etc/passwd"), std::invalid_argument);
  CHECK_THROWS_AS(zip_one("../evil"), std::invalid_argument);
  CHECK_THROWS_AS(zip_one("a/../../evil"), std::invalid_argument);
  CHECK_THROWS_AS(zip_one("a/.."), std::invalid_argument);
  CHECK_THROWS_AS(zip_one("dir/", "not empty"), std::invalid_argument);
  CHECK_NOTHROW(zip_one("a/..b/c..d"));
}

TEST_CASE("a zip written by make_zip is extracted by system tools with the exact contents", "[archive]") {
  const bool have_unzip = tool_available("unzip");
  const bool have_python = tool_available("python3");
  if (!have_unzip && !have_python) {
    WARN("neither unzip nor python3 is installed; skipping external zip validation");
    return;
  }

  const auto entries = sample_entries();
  const ScratchDir scratch("archive");
  const fs::path zip_path = scratch.path / "bundle.zip";
  write_bytes(zip_path, make_zip(entries));

  auto check_extracted = [&](const fs::path& root) {
    for (const ZipEntry& e : entries) {
      const fs::path p = root / e.name;
      if (e.name.back() == '/') {
        CHECK(fs::is_directory(p));
        continue;
      }
      INFO("entry " << e.name);
      REQUIRE(fs::is_regular_file(p));
      CHECK(read_bytes(p) == e.contents);
    }
  };

  if (have_unzip) {
    SECTION("unzip verifies CRCs, extracts, and reports unix permissions") {
      CHECK(std::system(("unzip -tqq " + q(zip_path) + " >/dev/null 2>&1").c_str()) == 0);

      const fs::path out = scratch.path / "unzip-out";
      REQUIRE(std::system(("unzip -qq -o " + q(zip_path) + " -d " + q(out)).c_str()) == 0);
      check_extracted(out);
      // Owner permissions come from the archive (group/other may be masked by umask).
      CHECK((fs::status(out / "bin/bootstrap").permissions() & fs::perms::owner_exec) != fs::perms::none);
      CHECK((fs::status(out / "index.py").permissions() & fs::perms::owner_exec) == fs::perms::none);

      // zipinfo lists the stored mode and host system straight from the archive.
      const fs::path listing = scratch.path / "zipinfo.txt";
      REQUIRE(std::system(("unzip -Z " + q(zip_path) + " > " + q(listing)).c_str()) == 0);
      std::istringstream lines(read_bytes(listing));
      std::string line;
      int checked = 0;
      while (std::getline(lines, line)) {
        if (line.find("index.py") != std::string::npos) {
          CHECK(line.rfind("-rw-r--r--", 0) == 0);
          CHECK(line.find(" unx ") != std::string::npos);
          ++checked;
        } else if (line.find("bin/bootstrap") != std::string::npos) {
          CHECK(line.rfind("-rwxr-xr-x", 0) == 0);
          ++checked;
        } else if (line.find("lib/ ") != std::string::npos || line.ends_with("lib/")) {
          CHECK(line.rfind("drwxr-xr-x", 0) == 0);
          ++checked;
        }
      }
      CHECK(checked == 3);
    }
  }
  if (have_python) {
    SECTION("python zipfile verifies CRCs and extracts") {
      CHECK(std::system(("python3 -m zipfile -t " + q(zip_path) + " >/dev/null 2>&1").c_str()) == 0);
      const fs::path out = scratch.path / "python-out";
      REQUIRE(std::system(("python3 -m zipfile -e " + q(zip_path) + " " + q(out)).c_str()) == 0);
      check_extracted(out);
    }
  }
}
