// Password hashing for stored users: argon2id (libsodium) in the PHC string format, so the
// parameters travel with each hash and can be raised later without invalidating old ones.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace pangolin::auth {

// Refuses passwords a server should never accept: fewer than 12 characters, longer than 1024
// bytes, or containing NUL. Errors: kBadRequest saying why.
Status CheckPasswordPolicy(std::string_view password);

// An argon2id PHC string ("$argon2id$v=19$m=...,t=...,p=1$salt$hash") for `password`, with a
// fresh random salt. Errors: kInternal (out of memory).
Result<std::string> HashPassword(std::string_view password);

// True when `password` matches `hash` (any PHC string HashPassword produced, whatever its
// parameters). False for a malformed hash. Takes the same time whether or not the user exists
// when called with DummyHash().
bool VerifyPassword(std::string_view hash, std::string_view password);

// A valid hash of a random password: verify against it when the user does not exist, so that
// login takes as long for unknown users as for wrong passwords.
const std::string& DummyHash();

}  // namespace pangolin::auth
