#include "server/core/interchange/json_text.h"

#include <cstddef>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace claimtrail {
namespace interchange {
namespace {

// Builds the DOM with nlohmann's own SAX-to-DOM parser, but records the
// first error instead of letting it throw.
class ErrorRecordingParser : public nlohmann::json_sax<Json> {
 public:
  explicit ErrorRecordingParser(Json* root) : dom_(*root, false) {}

  bool null() override { return dom_.null(); }
  bool boolean(bool value) override { return dom_.boolean(value); }
  bool number_integer(number_integer_t value) override {
    return dom_.number_integer(value);
  }
  bool number_unsigned(number_unsigned_t value) override {
    return dom_.number_unsigned(value);
  }
  bool number_float(number_float_t value, const string_t& text) override {
    return dom_.number_float(value, text);
  }
  bool string(string_t& value) override { return dom_.string(value); }
  bool binary(binary_t& value) override { return dom_.binary(value); }
  bool start_object(std::size_t size) override {
    return dom_.start_object(size);
  }
  bool key(string_t& value) override { return dom_.key(value); }
  bool end_object() override { return dom_.end_object(); }
  bool start_array(std::size_t size) override {
    return dom_.start_array(size);
  }
  bool end_array() override { return dom_.end_array(); }
  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::detail::exception& error) override {
    if (error_.empty()) error_ = error.what();
    return false;
  }

  const std::string& error() const { return error_; }

 private:
  nlohmann::detail::json_sax_dom_parser<Json> dom_;
  std::string error_;
};

}  // namespace

absl::StatusOr<Json> ParseJson(absl::string_view field,
                               absl::string_view text) {
  Json root;
  ErrorRecordingParser parser(&root);
  const bool ok = Json::sax_parse(text.begin(), text.end(), &parser);
  if (!ok || !parser.error().empty()) {
    absl::string_view message = parser.error();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: ..."
    const size_t bracket = message.find("] ");
    if (bracket != absl::string_view::npos) message.remove_prefix(bracket + 2);
    absl::ConsumePrefix(&message, "parse error at ");
    if (message.empty()) message = "not valid JSON";
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", message));
  }
  return root;
}

std::string DumpJson(const Json& json) {
  return absl::StrCat(
      json.dump(2, ' ', false, Json::error_handler_t::replace), "\n");
}

std::optional<std::string> StringMember(const Json& object,
                                        absl::string_view key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(std::string(key));
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace interchange
}  // namespace claimtrail
