#include "saving/zip_archive.hpp"

#include <zip.h>

#include <cstdint>
#include <memory>

#include "keras/errors.hpp"

namespace keras::saving {

namespace {

struct ErrorGuard {
  zip_error_t error;
  ErrorGuard() { zip_error_init(&error); }
  ~ErrorGuard() { zip_error_fini(&error); }
  std::string text() { return zip_error_strerror(&error); }
};

struct SourceFree {
  void operator()(zip_source_t* s) const { zip_source_free(s); }
};
using SourcePtr = std::unique_ptr<zip_source_t, SourceFree>;

struct ArchiveDiscard {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using ArchivePtr = std::unique_ptr<zip_t, ArchiveDiscard>;

struct FileClose {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

// Everything a source holds, after the archive written into it was closed.
std::string source_bytes(zip_source_t* source, const std::string& name) {
  zip_stat_t st;
  if (zip_source_stat(source, &st) < 0 || zip_source_open(source) < 0) {
    throw IOError("Cannot write zip archive '" + name + "': " + zip_error_strerror(zip_source_error(source)));
  }
  std::string bytes(static_cast<std::size_t>(st.size), '\0');
  const zip_int64_t n = zip_source_read(source, bytes.data(), st.size);
  zip_source_close(source);
  if (n != static_cast<zip_int64_t>(st.size)) throw IOError("Cannot write zip archive '" + name + "': short read");
  return bytes;
}

constexpr std::uint64_t kMaxMemberSize = 4ULL << 30;
constexpr std::uint64_t kMaxRatio = 100;

}  // namespace

std::string write_zip(const ZipMembers& members, const std::string& name) {
  ErrorGuard err;
  SourcePtr buffer(zip_source_buffer_create(nullptr, 0, 0, &err.error));
  if (!buffer) throw IOError("Cannot write zip archive '" + name + "': " + err.text());
  zip_source_keep(buffer.get());  // the archive's close must not free it: the bytes are read after
  ArchivePtr archive(zip_open_from_source(buffer.get(), ZIP_TRUNCATE, &err.error));
  if (!archive) throw IOError("Cannot write zip archive '" + name + "': " + err.text());
  for (const auto& [member, bytes] : members) {
    zip_source_t* data = zip_source_buffer(archive.get(), bytes.data(), bytes.size(), 0);
    const zip_int64_t index = data ? zip_file_add(archive.get(), member.c_str(), data, ZIP_FL_ENC_UTF_8) : -1;
    if (index < 0) {
      if (data) zip_source_free(data);
      throw IOError("Cannot write zip archive '" + name + "', member '" + member + "': " +
                    zip_strerror(archive.get()));
    }
    zip_set_file_compression(archive.get(), static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
  }
  if (zip_close(archive.get()) < 0) {
    throw IOError("Cannot write zip archive '" + name + "': " + zip_strerror(archive.get()));
  }
  archive.release();  // closed
  return source_bytes(buffer.get(), name);
}

ZipMembers read_zip(const std::string& bytes, const std::string& name) {
  ErrorGuard err;
  SourcePtr source(zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err.error));
  if (!source) throw IOError("Cannot read zip archive '" + name + "': " + err.text());
  ArchivePtr archive(zip_open_from_source(source.get(), ZIP_RDONLY | ZIP_CHECKCONS, &err.error));
  if (!archive) throw IOError("Cannot read zip archive '" + name + "': not a zip file, or truncated or corrupt (" + err.text() + ")");
  source.release();  // the archive owns it now
  ZipMembers out;
  const zip_int64_t count = zip_get_num_entries(archive.get(), 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t st;
    if (zip_stat_index(archive.get(), static_cast<zip_uint64_t>(i), 0, &st) < 0 || !(st.valid & ZIP_STAT_NAME) ||
        !(st.valid & ZIP_STAT_SIZE)) {
      throw IOError("Cannot read zip archive '" + name + "': entry " + std::to_string(i) + " is unreadable");
    }
    const std::string member = st.name;
    const std::uint64_t compressed = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : st.size;
    if (st.size > kMaxMemberSize && st.size > kMaxRatio * compressed) {
      throw IOError("Cannot read zip archive '" + name + "', member '" + member +
                    "': its uncompressed size is over 4 GiB and 100 times its compressed size (a zip bomb?)");
    }
    if (st.size > bytes.size() * kMaxRatio + (1 << 20)) {
      throw IOError("Cannot read zip archive '" + name + "', member '" + member + "': its size (" +
                    std::to_string(st.size) + " bytes) is implausible for an archive of " +
                    std::to_string(bytes.size()) + " bytes");
    }
    std::unique_ptr<zip_file_t, FileClose> file(zip_fopen_index(archive.get(), static_cast<zip_uint64_t>(i), 0));
    if (!file) {
      throw IOError("Cannot read zip archive '" + name + "', member '" + member + "': " + zip_strerror(archive.get()));
    }
    std::string data(static_cast<std::size_t>(st.size), '\0');
    const zip_int64_t n = zip_fread(file.get(), data.data(), st.size);
    if (n != static_cast<zip_int64_t>(st.size)) {
      throw IOError("Cannot read zip archive '" + name + "', member '" + member + "': truncated or corrupt (" +
                    zip_file_strerror(file.get()) + ")");
    }
    out.emplace_back(member, std::move(data));
  }
  return out;
}

}  // namespace keras::saving
