// Overlay: what one commit group has written so far, layered over storage.
//
// The committer applies the requests of a group one after another; each must
// see the claims, sources, events and request records written by the ones
// before it, although nothing is in storage until the group commits. Writes
// go to a staging layer first: when a request succeeds its staged writes
// join the group (CommitStaged); when it fails they are dropped
// (DiscardStaged), so a failed request leaves the group untouched.
//
// Groups are pipelined (committer.h): a group may be applied while the one
// before it is still being committed. Such a group is given the earlier
// group's writes (InFlightGroup) and reads them before storage, since
// storage may or may not hold them yet.
//
// Thread-compatible: used by the committer's applier thread only. An
// InFlightGroup is immutable once made, except for its outcome (atomics), so
// the commit thread may finish it while a later overlay reads it.
#ifndef CLAIMTRAIL_SERVER_CORE_LEDGER_OVERLAY_H_
#define CLAIMTRAIL_SERVER_CORE_LEDGER_OVERLAY_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "proto/claimtrail/v1/resources.pb.h"
#include "server/storage/records.pb.h"
#include "server/storage/storage.h"

namespace claimtrail {
namespace core {

// Everything one request or one group writes.
struct OverlayLayer {
  std::map<std::string, v1::Claim> claims;
  std::map<std::string, v1::Source> sources;
  std::vector<v1::Event> events;
  // By event name; only events already in storage when the group began.
  std::map<std::string, v1::Event> rewritten;
  std::map<std::string, storage::RequestRecord> requests;
};

// A group's writes from the moment it is applied until its commit is over.
class InFlightGroup {
 public:
  InFlightGroup(OverlayLayer writes, uint64_t last_sequence)
      : writes_(std::move(writes)), last_sequence_(last_sequence) {}

  const OverlayLayer& writes() const { return writes_; }
  // The sequence of the group's last event (its first minus one if none).
  uint64_t last_sequence() const { return last_sequence_; }

  // Called by the commit stage when Storage::Commit has returned.
  void MarkFinished(bool committed) {
    failed_.store(!committed, std::memory_order_relaxed);
    finished_.store(true, std::memory_order_release);
  }
  bool finished() const { return finished_.load(std::memory_order_acquire); }
  // Meaningful once finished().
  bool failed() const { return failed_.load(std::memory_order_relaxed); }

 private:
  const OverlayLayer writes_;
  const uint64_t last_sequence_;
  std::atomic<bool> failed_{false};
  std::atomic<bool> finished_{false};
};

class Overlay {
 public:
  // `parent`: the group before this one while its commit may still be in
  // flight, else nullptr. The group's first event gets the sequence after
  // the parent's last, or Storage::LastSequence() + 1. `storage` must
  // outlive the overlay.
  Overlay(storage::Storage* storage,
          std::shared_ptr<const InFlightGroup> parent);

  Overlay(const Overlay&) = delete;
  Overlay& operator=(const Overlay&) = delete;

  // ---- Reads: staged writes first, then the group's, then storage.
  // nullopt when absent; errors are storage errors.
  absl::StatusOr<std::optional<v1::Claim>> FindClaim(const std::string& id);
  absl::StatusOr<std::optional<v1::Source>> FindSource(const std::string& id);
  // Every event of the claim in revision order, rewrites applied.
  absl::StatusOr<std::vector<v1::Event>> ReadAllEvents(const std::string& id);

  struct PriorRequest {
    storage::RequestRecord record;
    // True when the record was written earlier in this (uncommitted) group:
    // its response holds only if the group commits.
    bool in_group = false;
  };
  absl::StatusOr<std::optional<PriorRequest>> FindRequest(
      const std::string& request_id);

  // ---- Staged writes of the request being applied.
  // The new state of claim `id` (name "claims/{id}").
  absl::Status PutClaim(const std::string& id, v1::Claim after);
  // A created or changed source; its id is taken from its name.
  void PutSource(const std::string& id, v1::Source source);
  // The sequence the next appended event will get.
  uint64_t NextSequence() const;
  // Appends `event`, setting its sequence to NextSequence().
  void AppendEvent(v1::Event event);
  // Replaces a committed event in place (redaction).
  void RewriteEvent(v1::Event event);
  void PutRequest(storage::RequestRecord record);

  // Makes the staged writes part of the group.
  void CommitStaged();
  // Drops the staged writes.
  void DiscardStaged();

  // True when the group has nothing to write.
  bool empty() const;
  // The group's writes (staged writes excluded), for Storage::Commit.
  storage::WriteSet ToWriteSet() const;
  // The group's writes for the groups applied while it is committed. Call
  // last: the overlay is empty afterwards.
  std::shared_ptr<InFlightGroup> Seal();

 private:
  using Layer = OverlayLayer;

  // The stored state of a claim, read once per group and remembered: it is
  // the `before` of the claim's ClaimWrite.
  absl::StatusOr<const std::optional<v1::Claim>*> StoredClaim(
      const std::string& id);

  storage::Storage* const storage_;
  const std::shared_ptr<const InFlightGroup> parent_;
  const uint64_t first_sequence_;
  Layer group_;
  Layer staged_;
  std::map<std::string, std::optional<v1::Claim>> stored_claims_;
  // Claims written by the group, in order of first write.
  std::vector<std::string> claim_order_;
};

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_LEDGER_OVERLAY_H_
