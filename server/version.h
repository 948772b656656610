// The claimtrail server's version, reported by GetServerInfo and logged at
// start. Bumped by hand on release.
#ifndef CLAIMTRAIL_SERVER_VERSION_H_
#define CLAIMTRAIL_SERVER_VERSION_H_

namespace claimtrail {

inline constexpr char kVersion[] = "0.1.0";

}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_VERSION_H_
