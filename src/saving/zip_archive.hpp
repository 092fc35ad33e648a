#pragma once
// Zip archives in memory over libzip, for Keras 3's `.keras` files (private to the library).
// Every failure is a keras::IOError naming the archive and the member.
#include <string>
#include <utility>
#include <vector>

namespace keras::saving {

using ZipMembers = std::vector<std::pair<std::string, std::string>>;  // name, bytes

// The bytes of an archive holding `members` in this order, stored uncompressed as Python
// Keras writes them.
std::string write_zip(const ZipMembers& members, const std::string& name);

// The members of the archive in `bytes` (`name` labels errors). Members are checked against
// their CRCs; one whose size claims more than 4 GiB and 100x its compressed size is
// refused as Keras refuses zip bombs.
ZipMembers read_zip(const std::string& bytes, const std::string& name);

}  // namespace keras::saving
