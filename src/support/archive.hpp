// Deterministic packaging primitives for AWS Lambda source bundles.
//
// Synthesized templates embed the zip's hash (e.g. to name the S3 object or to
// decide whether a function needs redeploying), so the archive bytes must be a
// pure function of the entries: same input, same bytes, on every machine and run.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace hipaa::detail {

// SHA-256 of bytes, raw 32-byte digest.
std::array<std::uint8_t, 32> sha256(std::string_view bytes);

// Standard base64 (RFC 4648 section 4 alphabet, with '=' padding).
std::string base64(std::span<const std::uint8_t> bytes);
std::string base64(std::string_view bytes);

// Lowercase hex, two characters per byte.
std::string hex(std::span<const std::uint8_t> bytes);

// CRC-32 as used by zip/gzip/PNG (IEEE 802.3, reflected polynomial 0xEDB88320).
std::uint32_t crc32(std::string_view bytes);

struct ZipEntry {
  // Path inside the archive, '/'-separated, relative. A name ending in '/'
  // denotes a directory entry (contents must then be empty; give it a mode
  // such as 0755 so it stays traversable).
  std::string name;
  std::string contents;
  // Permission bits only (masked with 07777); the file-type bits are added.
  std::uint32_t unix_mode = 0644;
};

// A zip archive (PKZIP, "stored" method, no compression) whose bytes depend only
// on the entries: fixed DOS timestamp 1980-01-01 00:00, entries in the given
// order, no extra fields, no comments, and external attributes carrying the unix
// mode (version made by = 3/unix) so AWS Lambda sees readable files.
//
// Throws std::invalid_argument for an empty, absolute or ".."-containing name,
// or a directory entry with contents; std::length_error if the archive would
// need zip64 (more than 65535 entries or any size/offset above 4 GiB - 1).
std::string make_zip(std::span<const ZipEntry> entries);

}  // namespace hipaa::detail
