// Reading and atomically replacing files.
#pragma once

#include <sys/types.h>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace meetgate::util {

// Whole file contents; throws std::system_error naming the path on failure.
std::string read_file(const std::filesystem::path& path);

struct WriteOptions {
  mode_t mode = 0644;          // used when the file does not exist yet
  std::optional<uid_t> owner;  // chown the new file (when root) if set
  std::optional<gid_t> group;
  bool keep_existing_mode = true;  // an existing file keeps its mode and owner
  // Write through a symlink to the file it points to (Debian's conf.d links). Off for
  // files in a directory another user owns: a link planted there must not make root
  // overwrite and chown the file it points to; the rename replaces the link instead.
  bool follow_symlinks = true;
};

// Writes `content` to a temp file in the same directory, fsyncs it, renames it over
// `path` and fsyncs the directory: readers see the old file or the new one, never a
// part. Returns false without writing when the file already has exactly `content`.
// Throws std::system_error naming the path on failure; then the old file is intact.
bool write_file_atomically(const std::filesystem::path& path, std::string_view content,
                           const WriteOptions& options = {});

// write_file_atomically in two steps, so that several files change together: the
// constructor writes and fsyncs the temp file (throwing as above, nothing changed),
// commit() renames it into place. Dropped without commit(), the temp file is removed.
class StagedWrite {
 public:
  StagedWrite(const std::filesystem::path& path, std::string_view content,
              const WriteOptions& options = {});
  ~StagedWrite();
  StagedWrite(StagedWrite&&) noexcept;
  StagedWrite& operator=(StagedWrite&&) = delete;
  StagedWrite(const StagedWrite&) = delete;
  StagedWrite& operator=(const StagedWrite&) = delete;

  // False when the file already had the content: nothing was staged.
  bool changes() const { return !temp_path_.empty(); }

  // Renames the staged file over the target and fsyncs the directory.
  void commit();

 private:
  std::filesystem::path target_;
  std::string temp_path_;  // empty: nothing staged, or committed
};

}  // namespace meetgate::util
