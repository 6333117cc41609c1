// Prometheus text exposition: https://prometheus.io/docs/instrumenting/exposition_formats/
#include "http/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace meetgate::http {

Family::Family(std::string name, std::string help, LabelNames label_names)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}

void Family::render(std::string& out) const {
  out += fmt::format("# HELP {} {}\n", name_, escape_help(help_));
  out += fmt::format("# TYPE {} {}\n", name_, type());

  std::lock_guard lock(mutex_);
  render_series(out);
}

void Family::check_arity(const LabelValues& values) const {
  if (values.size() != label_names_.size())
    throw std::invalid_argument(fmt::format("metric {}: {} label values for {} label names", name_,
                                            values.size(), label_names_.size()));
}

std::string Family::series_name(std::string_view suffix, const LabelValues& values,
                                std::string_view extra) const {
  std::string labels;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!labels.empty())
      labels += ',';
    labels += fmt::format("{}=\"{}\"", label_names_[i], escape_label_value(values[i]));
  }
  // Appended, not "," + string: g++ 12 at -O3 warns falsely (-Wrestrict) on the latter.
  if (!extra.empty()) {
    if (!labels.empty())
      labels += ',';
    labels += extra;
  }

  if (labels.empty())
    return name_ + std::string(suffix);
  return fmt::format("{}{}{{{}}}", name_, suffix, labels);
}

void CounterFamily::increment(const LabelValues& values, double by) {
  check_arity(values);
  std::lock_guard lock(mutex_);
  series_[values] += by;
}

double CounterFamily::value(const LabelValues& values) const {
  std::lock_guard lock(mutex_);
  auto found = series_.find(values);
  return found == series_.end() ? 0 : found->second;
}

void CounterFamily::render_series(std::string& out) const {
  for (const auto& [values, value] : series_)
    out += fmt::format("{} {}\n", series_name("", values), format_value(value));
}

void GaugeFamily::set(double value, const LabelValues& values) {
  check_arity(values);
  std::lock_guard lock(mutex_);
  series_[values] = value;
}

double GaugeFamily::value(const LabelValues& values) const {
  std::lock_guard lock(mutex_);
  auto found = series_.find(values);
  return found == series_.end() ? 0 : found->second;
}

void GaugeFamily::render_series(std::string& out) const {
  for (const auto& [values, value] : series_)
    out += fmt::format("{} {}\n", series_name("", values), format_value(value));
}

HistogramFamily::HistogramFamily(std::string name, std::string help, LabelNames label_names,
                                 std::vector<double> bounds)
    : Family(std::move(name), std::move(help), std::move(label_names)), bounds_(std::move(bounds)) {
  if (!std::is_sorted(bounds_.begin(), bounds_.end()))
    throw std::invalid_argument(fmt::format("metric {}: bucket bounds not ascending", name_));
}

void HistogramFamily::observe(double value, const LabelValues& values) {
  check_arity(values);
  std::lock_guard lock(mutex_);
  Series& series = series_[values];
  series.buckets.resize(bounds_.size());

  // Count into the first bucket that holds the value; rendering accumulates.
  auto bound = std::lower_bound(bounds_.begin(), bounds_.end(), value);
  if (bound != bounds_.end())
    ++series.buckets[bound - bounds_.begin()];
  ++series.count;
  series.sum += value;
}

void HistogramFamily::render_series(std::string& out) const {
  for (const auto& [values, series] : series_) {
    unsigned long long cumulative = 0;
    for (size_t i = 0; i < bounds_.size(); ++i) {
      cumulative += series.buckets[i];
      const std::string le = fmt::format("le=\"{}\"", format_value(bounds_[i]));
      out += fmt::format("{} {}\n", series_name("_bucket", values, le), cumulative);
    }
    out += fmt::format("{} {}\n", series_name("_bucket", values, "le=\"+Inf\""), series.count);
    out += fmt::format("{} {}\n", series_name("_sum", values), format_value(series.sum));
    out += fmt::format("{} {}\n", series_name("_count", values), series.count);
  }
}

CounterFamily& Registry::add_counter(std::string name, std::string help, LabelNames label_names) {
  auto family =
      std::make_unique<CounterFamily>(std::move(name), std::move(help), std::move(label_names));
  CounterFamily& result = *family;
  families_.push_back(std::move(family));
  return result;
}

GaugeFamily& Registry::add_gauge(std::string name, std::string help, LabelNames label_names) {
  auto family =
      std::make_unique<GaugeFamily>(std::move(name), std::move(help), std::move(label_names));
  GaugeFamily& result = *family;
  families_.push_back(std::move(family));
  return result;
}

HistogramFamily& Registry::add_histogram(std::string name, std::string help, LabelNames label_names,
                                         std::vector<double> bounds) {
  auto family = std::make_unique<HistogramFamily>(std::move(name), std::move(help),
                                                  std::move(label_names), std::move(bounds));
  HistogramFamily& result = *family;
  families_.push_back(std::move(family));
  return result;
}

std::string Registry::render() const {
  std::string out;
  for (const auto& family : families_)
    family->render(out);
  return out;
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string escape_help(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string format_value(double value) {
  if (std::isnan(value))
    return "NaN";
  if (std::isinf(value))
    return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

}  // namespace meetgate::http
