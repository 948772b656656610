// The SVG timeline of a claim: one band for the derived state, one per party
// for its stance, and one per figure with its values as a step line, all
// over recorded time. People would rather look than read.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "server/core/render.h"
#include "server/core/report/html_escape.h"
#include "server/core/report/render_report.h"
#include "server/core/report/selection.h"

namespace claimtrail {
namespace report {
namespace {

constexpr double kWidth = 760;
constexpr double kLabelRight = 150;  // Lane labels end here.
constexpr double kPlotLeft = 160;
constexpr double kPlotRight = 740;
constexpr double kBandHeight = 18;
constexpr double kFigureHeight = 64;
constexpr double kGap = 8;
constexpr double kTop = 10;
// The figure line's colour: used nowhere else, so a rendering can be checked
// for the timeline by colour.
constexpr char kFigureColour[] = "#1565c0";

const char* StateColour(v1::ClaimState state) {
  switch (state) {
    case v1::CLAIM_STATE_CONFIRMED:
      return "#2e7d32";
    case v1::CLAIM_STATE_PARTIALLY_CONFIRMED:
      return "#81c784";
    case v1::CLAIM_STATE_DISPUTED:
      return "#ef6c00";
    case v1::CLAIM_STATE_DENIED:
      return "#c62828";
    case v1::CLAIM_STATE_RETRACTED:
      return "#6a1b9a";
    case v1::CLAIM_STATE_UNCONFIRMED:
      return "#9e9e9e";
    default:
      return "#cfd8dc";
  }
}

const char* PositionColour(v1::StancePosition position) {
  switch (position) {
    case v1::STANCE_POSITION_CONFIRMED:
      return "#2e7d32";
    case v1::STANCE_POSITION_DENIED:
      return "#c62828";
    case v1::STANCE_POSITION_DISPUTED:
      return "#ef6c00";
    case v1::STANCE_POSITION_DECLINED_TO_COMMENT:
      return "#757575";
    case v1::STANCE_POSITION_NO_RESPONSE:
      return "#bdbdbd";
    default:
      return "#9e9e9e";
  }
}

// Whether a fill needs dark text on it.
bool IsLight(absl::string_view fill) {
  return fill == "#cfd8dc" || fill == "#81c784" || fill == "#bdbdbd";
}

// Maps recorded time to x.
class TimeScale {
 public:
  TimeScale(absl::Time start, absl::Time end) : start_(start), end_(end) {
    if (end_ <= start_) end_ = start_ + absl::Hours(1);
  }
  double X(absl::Time t) const {
    const double fraction = absl::FDivDuration(t - start_, end_ - start_);
    return kPlotLeft +
           std::clamp(fraction, 0.0, 1.0) * (kPlotRight - kPlotLeft);
  }
  absl::Time start() const { return start_; }
  absl::Time end() const { return end_; }

 private:
  absl::Time start_;
  absl::Time end_;
};

std::string Num(double value) { return absl::StrFormat("%.1f", value); }

std::string Text(double x, double y, const std::string& anchor,
                 const std::string& text, const std::string& cls = "") {
  return absl::StrCat("<text x=\"", Num(x), "\" y=\"", Num(y),
                      "\" text-anchor=\"", anchor, "\"",
                      cls.empty() ? "" : absl::StrCat(" class=\"", cls, "\""),
                      ">", HtmlEscape(text), "</text>");
}

std::string Rect(double x, double y, double w, double h, const char* fill,
                 const std::string& title) {
  return absl::StrCat("<rect x=\"", Num(x), "\" y=\"", Num(y), "\" width=\"",
                      Num(std::max(w, 1.0)), "\" height=\"", Num(h),
                      "\" fill=\"", fill, "\"><title>", HtmlEscape(title),
                      "</title></rect>");
}

// One segment per change, each lasting until the next change or the end.
template <typename Change, typename Colour, typename Label>
void Band(const std::vector<const Change*>& changes, const TimeScale& scale,
          double y, Colour colour, Label label, std::string* out) {
  for (size_t i = 0; i < changes.size(); ++i) {
    const absl::Time from = FromProtoTime(changes[i]->record_time());
    const absl::Time to = i + 1 < changes.size()
                              ? FromProtoTime(changes[i + 1]->record_time())
                              : scale.end();
    const double x0 = scale.X(from);
    const double x1 = scale.X(to);
    const std::string words = label(*changes[i]);
    absl::StrAppend(
        out, Rect(x0, y, x1 - x0, kBandHeight, colour(*changes[i]),
                  absl::StrCat(words, " from ",
                               core::FormatTimestamp(changes[i]->record_time()))));
    if (x1 - x0 > 6.5 * words.size()) {
      absl::StrAppend(out, Text(x0 + 4, y + 13, "start", words,
                                IsLight(colour(*changes[i])) ? "ind" : "in"));
    }
  }
}

// The number a figure revision is plotted at: the amount, else the
// midpoint of the bounds, else whichever bound there is.
std::optional<double> PlotValue(const v1::Figure& figure) {
  if (figure.has_amount()) return figure.amount();
  if (figure.has_lower_bound() && figure.has_upper_bound()) {
    return (figure.lower_bound() + figure.upper_bound()) / 2;
  }
  if (figure.has_lower_bound()) return figure.lower_bound();
  if (figure.has_upper_bound()) return figure.upper_bound();
  return std::nullopt;
}

void FigureLane(const v1::FigureAudit& figure, const TimeScale& scale,
                double y, std::string* out) {
  std::vector<std::pair<double, const v1::FigureRevisionAudit*>> points;
  for (const v1::FigureRevisionAudit& revision : figure.history()) {
    std::optional<double> value = PlotValue(revision.figure());
    if (value.has_value()) points.push_back({*value, &revision});
  }
  absl::StrAppend(out, "<rect x=\"", Num(kPlotLeft), "\" y=\"", Num(y),
                  "\" width=\"", Num(kPlotRight - kPlotLeft), "\" height=\"",
                  Num(kFigureHeight), "\" fill=\"#f5f7fa\"/>");
  if (points.empty()) return;
  double low = points[0].first, high = points[0].first;
  for (const auto& point : points) {
    low = std::min(low, point.first);
    high = std::max(high, point.first);
  }
  // Leave room for labels above the highest and below the lowest value.
  const double top = y + 18;
  const double bottom = y + kFigureHeight - 8;
  const auto value_y = [&](double value) {
    if (high == low) return (top + bottom) / 2;
    return bottom - (value - low) / (high - low) * (bottom - top);
  };
  std::string path;
  for (size_t i = 0; i < points.size(); ++i) {
    const double x = scale.X(FromProtoTime(points[i].second->record_time()));
    const double py = value_y(points[i].first);
    absl::StrAppend(&path, i == 0 ? "M" : " H", Num(x), i == 0 ? " " : " V",
                    Num(py));
  }
  absl::StrAppend(&path, " H", Num(kPlotRight));
  absl::StrAppend(out, "<path d=\"", path, "\" fill=\"none\" stroke=\"",
                  kFigureColour, "\" stroke-width=\"2.5\"/>");
  for (const auto& [value, revision] : points) {
    const double x = scale.X(FromProtoTime(revision->record_time()));
    const double py = value_y(value);
    absl::StrAppend(
        out, "<circle cx=\"", Num(x), "\" cy=\"", Num(py), "\" r=\"4\" fill=\"",
        kFigureColour, "\"><title>",
        HtmlEscape(absl::StrCat(revision->value(), " (",
                                core::FormatTimestamp(revision->record_time()),
                                ")")),
        "</title></circle>");
    absl::StrAppend(out, Text(std::min(x + 5, kPlotRight - 2), py - 6,
                              x + 5 > kPlotRight - 120 ? "end" : "start",
                              revision->value(), "val"));
  }
}

std::string DateLabel(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M", time, absl::UTCTimeZone());
}

}  // namespace

std::string RenderTimelineSvg(const v1::ClaimAudit& claim,
                              const google::protobuf::Timestamp& as_of) {
  const absl::Time created = FromProtoTime(claim.create_time());
  absl::Time last = created;
  for (const v1::StateChange& change : claim.state_history()) {
    last = std::max(last, FromProtoTime(change.record_time()));
  }
  for (const v1::StanceChange& change : claim.stance_history()) {
    last = std::max(last, FromProtoTime(change.record_time()));
  }
  for (const v1::FigureAudit& figure : claim.figures()) {
    for (const v1::FigureRevisionAudit& revision : figure.history()) {
      last = std::max(last, FromProtoTime(revision.record_time()));
    }
  }
  // Show time up to as_of, but no more than a fifth of the span past the
  // last change, so a late as_of does not squash the history to the left.
  const absl::Duration span = std::max(last - created, absl::Hours(1));
  const absl::Time end = std::min(FromProtoTime(as_of), last + span / 5);
  const TimeScale scale(created, std::max(end, last + span / 20));

  // Parties in order of first stance.
  std::vector<std::string> parties;
  std::map<std::string, std::vector<const v1::StanceChange*>> by_party;
  std::map<std::string, std::string> party_names;
  for (const v1::StanceChange& change : claim.stance_history()) {
    if (by_party.count(change.party()) == 0) parties.push_back(change.party());
    by_party[change.party()].push_back(&change);
    party_names[change.party()] = change.party_display_name();
  }

  std::string body;
  double y = kTop;
  // State band.
  std::vector<const v1::StateChange*> states;
  for (const v1::StateChange& change : claim.state_history()) {
    states.push_back(&change);
  }
  absl::StrAppend(&body, Text(kLabelRight, y + 13, "end", "state", "lane"));
  Band(
      states, scale, y,
      [](const v1::StateChange& c) { return StateColour(c.state()); },
      [](const v1::StateChange& c) { return core::EnumLabel(c.state()); },
      &body);
  y += kBandHeight + kGap;
  for (const std::string& party : parties) {
    absl::StrAppend(&body,
                    Text(kLabelRight, y + 13, "end", party_names[party], "lane"));
    Band(
        by_party[party], scale, y,
        [](const v1::StanceChange& c) { return PositionColour(c.position()); },
        [](const v1::StanceChange& c) { return core::EnumLabel(c.position()); },
        &body);
    y += kBandHeight + kGap;
  }
  for (const v1::FigureAudit& figure : claim.figures()) {
    absl::StrAppend(&body, Text(kLabelRight, y + kFigureHeight / 2 + 4, "end",
                                absl::StrCat("figure ", figure.figure_id()),
                                "lane"));
    FigureLane(figure, scale, y, &body);
    y += kFigureHeight + kGap;
  }
  // Time axis.
  absl::StrAppend(&body, "<line x1=\"", Num(kPlotLeft), "\" y1=\"", Num(y),
                  "\" x2=\"", Num(kPlotRight), "\" y2=\"", Num(y),
                  "\" stroke=\"#555\"/>");
  for (int i = 0; i <= 2; ++i) {
    const absl::Time tick =
        scale.start() + (scale.end() - scale.start()) * (i / 2.0);
    const double x = scale.X(tick);
    absl::StrAppend(&body, "<line x1=\"", Num(x), "\" y1=\"", Num(y),
                    "\" x2=\"", Num(x), "\" y2=\"", Num(y + 4),
                    "\" stroke=\"#555\"/>");
    absl::StrAppend(&body, Text(x, y + 16, i == 0 ? "start" : i == 2 ? "end"
                                                                     : "middle",
                                DateLabel(tick), "axis"));
  }
  y += 24;

  return absl::StrCat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"",
      Num(kWidth), "\" height=\"", Num(y), "\" viewBox=\"0 0 ", Num(kWidth),
      " ", Num(y), "\" role=\"img\" aria-label=\"",
      HtmlEscape(absl::StrCat("Timeline of ", claim.claim())), "\">",
      "<style>text{font:11px sans-serif;fill:#222}text.in{fill:#fff}"
      "text.ind{fill:#263238}"
      "text.val{font-size:10px;fill:#0d3c75}text.axis{fill:#555}</style>",
      body, "</svg>");
}

}  // namespace report
}  // namespace claimtrail
