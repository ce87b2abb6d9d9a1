// Writing a whole buffer to a file descriptor, across short writes and interruptions.
#pragma once

#include <string_view>

namespace pangolin {

// Writes all of `bytes` to `fd`. False on failure, with errno saying why.
bool WriteFully(int fd, std::string_view bytes);

}  // namespace pangolin
