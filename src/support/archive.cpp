#include "support/archive.hpp"

#include <array>
#include <cstdlib>
#include <limits>
#include <stdexcept>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace hipaa::detail {

namespace {

// ---------------------------------------------------------------- SHA-256 (FIPS 180-4)

constexpr std::array<std::uint32_t, 64> kSha256Round = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

constexpr std::uint32_t rotr(std::uint32_t x, unsigned n) { return (x >> n) | (x << (32U - n)); }

void sha256_block(std::array<std::uint32_t, 8>& state, const std::uint8_t* block) {
  std::array<std::uint32_t, 64> w{};
  for (std::size_t i = 0; i < 16; ++i) {
    w[i] = (std::uint32_t{block[4 * i]} << 24) | (std::uint32_t{block[4 * i + 1]} << 16) |
           (std::uint32_t{block[4 * i + 2]} << 8) | std::uint32_t{block[4 * i + 3]};
  }
  for (std::size_t i = 16; i < 64; ++i) {
    const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }

  std::uint32_t a = state[0];
  std::uint32_t b = state[1];
  std::uint32_t c = state[2];
  std::uint32_t d = state[3];
  std::uint32_t e = state[4];
  std::uint32_t f = state[5];
  std::uint32_t g = state[6];
  std::uint32_t h = state[7];
  for (std::size_t i = 0; i < 64; ++i) {
    const std::uint32_t s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    const std::uint32_t ch = (e & f) ^ (~e & g);
    const std::uint32_t t1 = h + s1 + ch + kSha256Round[i] + w[i];
    const std::uint32_t s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    const std::uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
    const std::uint32_t t2 = s0 + maj;
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

#if defined(__x86_64__)
// The same compression function with the SHA extensions (SHA-NI): about fifteen times fewer
// instructions, which matters because every synthesized document is hashed for the manifest.
// State travels as two vectors, ABEF and CDGH, the order the instructions expect.
__attribute__((target("sha,sse4.1,ssse3"))) void sha256_blocks_ni(std::array<std::uint32_t, 8>& state,
                                                                  const std::uint8_t* data, std::size_t blocks) {
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i dcba = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state.data()));
  __m128i hgfe = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[4]));
  const __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
  const __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
  __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
  __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);

  for (std::size_t b = 0; b < blocks; ++b, data += 64) {
    const __m128i abef_before = abef;
    const __m128i cdgh_before = cdgh;
    // Message words in groups of four; group i needs groups i-4 .. i-1 (a ring of four).
    // NOLINTNEXTLINE(modernize-avoid-c-arrays): std::array<__m128i> drops the vector type's attributes (GCC).
    __m128i w[4];
    for (std::size_t i = 0; i < 16; ++i) {
      __m128i& group = w[i % 4];
      if (i < 4) {
        group = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * i)), byte_swap);
      } else {
        const __m128i& previous = w[(i + 3) % 4];
        const __m128i shifted = _mm_alignr_epi8(previous, w[(i + 2) % 4], 4);
        group = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(group, w[(i + 1) % 4]), shifted), previous);
      }
      __m128i message = _mm_add_epi32(group, _mm_loadu_si128(reinterpret_cast<const __m128i*>(&kSha256Round[4 * i])));
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, message);
      message = _mm_shuffle_epi32(message, 0x0E);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, message);
    }
    abef = _mm_add_epi32(abef, abef_before);
    cdgh = _mm_add_epi32(cdgh, cdgh_before);
  }

  const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  dcba = _mm_blend_epi16(feba, dchg, 0xF0);
  hgfe = _mm_alignr_epi8(dchg, feba, 8);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state.data()), dcba);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[4]), hgfe);
}

bool cpu_has_sha_extensions() {
  unsigned a = 0;
  unsigned b = 0;
  unsigned c = 0;
  unsigned d = 0;
  if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0) return false;
  return (b & (1U << 29)) != 0;  // CPUID.(EAX=7,ECX=0):EBX.SHA[bit 29]
}
#endif

void sha256_blocks(std::array<std::uint32_t, 8>& state, const std::uint8_t* data, std::size_t blocks) {
#if defined(__x86_64__)
  static const bool accelerated = cpu_has_sha_extensions() && std::getenv("HIPAA_SYNTH_NO_SHA_NI") == nullptr;
  if (accelerated) {
    sha256_blocks_ni(state, data, blocks);
    return;
  }
#endif
  for (std::size_t i = 0; i < blocks; ++i) sha256_block(state, data + 64 * i);
}

// ---------------------------------------------------------------- CRC-32

constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t n = 0; n < 256; ++n) {
    std::uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1U) ? (0xEDB88320U ^ (c >> 1)) : (c >> 1);
    table[n] = c;
  }
  return table;
}

constexpr std::array<std::uint32_t, 256> kCrcTable = make_crc_table();

// ---------------------------------------------------------------- zip helpers

// All multi-byte zip fields are little-endian regardless of host byte order.
void put16(std::string& out, std::uint32_t v) {
  out.push_back(static_cast<char>(v & 0xFFU));
  out.push_back(static_cast<char>((v >> 8) & 0xFFU));
}

void put32(std::string& out, std::uint32_t v) {
  put16(out, v & 0xFFFFU);
  put16(out, (v >> 16) & 0xFFFFU);
}

constexpr std::uint32_t kLocalHeaderSig = 0x04034b50;
constexpr std::uint32_t kCentralHeaderSig = 0x02014b50;
constexpr std::uint32_t kEndOfCentralDirSig = 0x06054b50;

// 2.0 is what every mainstream writer (Info-ZIP, Python's zipfile) puts here for
// plain stored entries; the high byte of "made by" = 3 says the external
// attributes hold unix st_mode bits, which is what makes unzip and Lambda
// honour the permissions instead of falling back to something restrictive.
constexpr std::uint32_t kVersionNeeded = 20;
constexpr std::uint32_t kVersionMadeBy = (3U << 8) | 20U;

// DOS date/time has no representation before 1980; its epoch 1980-01-01 00:00 is
// the conventional "no real timestamp" value used by reproducible-build tools.
// Fixing it keeps the archive hash independent of when or where we ran.
constexpr std::uint32_t kDosTime = 0;                                    // 00:00:00
constexpr std::uint32_t kDosDate = ((1980 - 1980) << 9) | (1 << 5) | 1;  // 1980-01-01

constexpr std::uint32_t kGeneralPurposeUtf8 = 1U << 11;  // name is UTF-8 (APPNOTE 4.4.4)
constexpr std::uint32_t kUnixRegularFile = 0100000;      // S_IFREG
constexpr std::uint32_t kUnixDirectory = 0040000;        // S_IFDIR
constexpr std::uint32_t kDosDirectoryAttr = 0x10;

constexpr std::uint64_t kMax16 = 0xFFFF;
constexpr std::uint64_t kMax32 = 0xFFFFFFFF;

bool is_directory(const ZipEntry& e) { return !e.name.empty() && e.name.back() == '/'; }

void validate(const ZipEntry& e) {
  if (e.name.empty()) throw std::invalid_argument("make_zip: empty entry name");
  if (e.name.front() == '/') throw std::invalid_argument("make_zip: absolute entry name: " + e.name);
  // Reject ".." components so an archive can never write outside its target dir.
  std::size_t start = 0;
  while (start <= e.name.size()) {
    std::size_t end = e.name.find('/', start);
    if (end == std::string::npos) end = e.name.size();
    if (e.name.compare(start, end - start, "..") == 0)
      throw std::invalid_argument("make_zip: '..' in entry name: " + e.name);
    start = end + 1;
  }
  if (e.name.size() > kMax16) throw std::length_error("make_zip: entry name too long");
  if (is_directory(e) && !e.contents.empty())
    throw std::invalid_argument("make_zip: directory entry with contents: " + e.name);
  if (e.contents.size() > kMax32) throw std::length_error("make_zip: entry too large (zip64 unsupported)");
}

std::uint32_t flags_for(const std::string& name) {
  // Only flag UTF-8 when needed, matching other writers so ASCII-only
  // archives stay byte-identical to theirs.
  for (const char ch : name)
    if (static_cast<unsigned char>(ch) >= 0x80) return kGeneralPurposeUtf8;
  return 0;
}

}  // namespace

// ---------------------------------------------------------------- public API

std::array<std::uint8_t, 32> sha256(std::string_view bytes) {
  std::array<std::uint32_t, 8> state = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  const std::size_t len = bytes.size();

  std::size_t off = 0;
  sha256_blocks(state, data, len / 64);
  off = len / 64 * 64;

  // Padding: 0x80, zeros, then the message length in bits as 64-bit big-endian;
  // the tail needs one or two final blocks.
  std::array<std::uint8_t, 128> tail{};
  const std::size_t rest = len - off;
  for (std::size_t i = 0; i < rest; ++i) tail[i] = data[off + i];
  tail[rest] = 0x80;
  const std::size_t tail_len = (rest + 1 + 8 <= 64) ? 64 : 128;
  const std::uint64_t bit_len = static_cast<std::uint64_t>(len) * 8U;
  for (std::size_t i = 0; i < 8; ++i) tail[tail_len - 1 - i] = static_cast<std::uint8_t>(bit_len >> (8 * i));
  sha256_blocks(state, tail.data(), tail_len / 64);

  std::array<std::uint8_t, 32> digest{};
  for (std::size_t i = 0; i < 8; ++i) {
    digest[4 * i] = static_cast<std::uint8_t>(state[i] >> 24);
    digest[4 * i + 1] = static_cast<std::uint8_t>(state[i] >> 16);
    digest[4 * i + 2] = static_cast<std::uint8_t>(state[i] >> 8);
    digest[4 * i + 3] = static_cast<std::uint8_t>(state[i]);
  }
  return digest;
}

std::string base64(std::span<const std::uint8_t> bytes) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v =
        (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | std::uint32_t{bytes[i + 2]};
    out.push_back(kAlphabet[(v >> 18) & 0x3F]);
    out.push_back(kAlphabet[(v >> 12) & 0x3F]);
    out.push_back(kAlphabet[(v >> 6) & 0x3F]);
    out.push_back(kAlphabet[v & 0x3F]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const std::uint32_t v = std::uint32_t{bytes[i]} << 16;
    out.push_back(kAlphabet[(v >> 18) & 0x3F]);
    out.push_back(kAlphabet[(v >> 12) & 0x3F]);
    out += "==";
  } else if (rest == 2) {
    const std::uint32_t v = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8);
    out.push_back(kAlphabet[(v >> 18) & 0x3F]);
    out.push_back(kAlphabet[(v >> 12) & 0x3F]);
    out.push_back(kAlphabet[(v >> 6) & 0x3F]);
    out.push_back('=');
  }
  return out;
}

std::string base64(std::string_view bytes) {
  return base64(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

std::string hex(std::span<const std::uint8_t> bytes) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0F]);
  }
  return out;
}

std::uint32_t crc32(std::string_view bytes) {
  std::uint32_t c = 0xFFFFFFFFU;
  for (const char ch : bytes) c = kCrcTable[(c ^ static_cast<unsigned char>(ch)) & 0xFFU] ^ (c >> 8);
  return c ^ 0xFFFFFFFFU;
}

std::string make_zip(std::span<const ZipEntry> entries) {
  if (entries.size() > kMax16) throw std::length_error("make_zip: too many entries (zip64 unsupported)");

  std::string out;
  std::string central;
  for (const ZipEntry& e : entries) {
    validate(e);
    const std::uint64_t offset = out.size();
    if (offset > kMax32) throw std::length_error("make_zip: archive too large (zip64 unsupported)");

    const std::uint32_t crc = crc32(e.contents);
    const auto size = static_cast<std::uint32_t>(e.contents.size());
    const auto name_len = static_cast<std::uint32_t>(e.name.size());
    const std::uint32_t flags = flags_for(e.name);

    // Local file header (APPNOTE 4.3.7). Sizes and CRC are known up front, so
    // no data descriptor is needed.
    put32(out, kLocalHeaderSig);
    put16(out, kVersionNeeded);
    put16(out, flags);
    put16(out, 0);  // method 0 = stored
    put16(out, kDosTime);
    put16(out, kDosDate);
    put32(out, crc);
    put32(out, size);  // compressed size == uncompressed size when stored
    put32(out, size);
    put16(out, name_len);
    put16(out, 0);  // no extra field: those usually carry real timestamps/uid/gid
    out += e.name;
    out += e.contents;

    // Central directory record (APPNOTE 4.3.12).
    const std::uint32_t type_bits = is_directory(e) ? kUnixDirectory : kUnixRegularFile;
    const std::uint32_t external =
        ((type_bits | (e.unix_mode & 07777U)) << 16) | (is_directory(e) ? kDosDirectoryAttr : 0U);
    put32(central, kCentralHeaderSig);
    put16(central, kVersionMadeBy);
    put16(central, kVersionNeeded);
    put16(central, flags);
    put16(central, 0);
    put16(central, kDosTime);
    put16(central, kDosDate);
    put32(central, crc);
    put32(central, size);
    put32(central, size);
    put16(central, name_len);
    put16(central, 0);  // extra field length
    put16(central, 0);  // comment length
    put16(central, 0);  // disk number start
    put16(central, 0);  // internal attributes
    put32(central, external);
    put32(central, static_cast<std::uint32_t>(offset));
    central += e.name;
  }

  const std::uint64_t cd_offset = out.size();
  const std::uint64_t cd_size = central.size();
  if (cd_offset > kMax32 || cd_size > kMax32 || cd_offset + cd_size > kMax32)
    throw std::length_error("make_zip: archive too large (zip64 unsupported)");
  out += central;

  // End of central directory record (APPNOTE 4.3.16), single-disk, no comment.
  const auto count = static_cast<std::uint32_t>(entries.size());
  put32(out, kEndOfCentralDirSig);
  put16(out, 0);  // this disk
  put16(out, 0);  // disk with central directory
  put16(out, count);
  put16(out, count);
  put32(out, static_cast<std::uint32_t>(cd_size));
  put32(out, static_cast<std::uint32_t>(cd_offset));
  put16(out, 0);  // comment length
  return out;
}

}  // namespace hipaa::detail
