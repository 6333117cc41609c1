// A small metrics registry rendered in Prometheus' text exposition format (0.0.4).
// Families keep registration order and series sort by label values, so output is stable.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace meetgate::http {

using LabelNames = std::vector<std::string>;
using LabelValues = std::vector<std::string>;

// One metric family: a name, its help text, its label names and one series per
// combination of label values. Updates and rendering lock the family's own mutex.
class Family {
 public:
  Family(std::string name, std::string help, LabelNames label_names);
  virtual ~Family() = default;

  // Appends "# HELP", "# TYPE" and every series' lines to `out`.
  void render(std::string& out) const;

 protected:
  virtual std::string_view type() const = 0;
  virtual void render_series(std::string& out) const = 0;

  // Throws std::invalid_argument when the count differs from the label names':
  // a programming error, caught by the first test that records the metric.
  void check_arity(const LabelValues& values) const;

  // `name{a="x",b="y"}`, with `extra` (already formatted, e.g. `le="0.5"`) last.
  std::string series_name(std::string_view suffix, const LabelValues& values,
                          std::string_view extra = {}) const;

  std::string name_;
  std::string help_;
  LabelNames label_names_;
  mutable std::mutex mutex_;
};

// A value that only goes up; the name should end in `_total`.
class CounterFamily : public Family {
 public:
  using Family::Family;

  void increment(const LabelValues& values = {}, double by = 1);
  double value(const LabelValues& values = {}) const;

 private:
  std::string_view type() const override { return "counter"; }
  void render_series(std::string& out) const override;

  std::map<LabelValues, double> series_;
};

// A value that is set, e.g. a count of accounts or a timestamp.
class GaugeFamily : public Family {
 public:
  using Family::Family;

  void set(double value, const LabelValues& values = {});
  double value(const LabelValues& values = {}) const;

 private:
  std::string_view type() const override { return "gauge"; }
  void render_series(std::string& out) const override;

  std::map<LabelValues, double> series_;
};

// Observations counted into cumulative buckets (upper bounds, ascending), with sum
// and count; the +Inf bucket is implied.
class HistogramFamily : public Family {
 public:
  HistogramFamily(std::string name, std::string help, LabelNames label_names,
                  std::vector<double> bounds);

  void observe(double value, const LabelValues& values = {});

 private:
  struct Series {
    std::vector<unsigned long long> buckets;  // per bound, not yet cumulative
    unsigned long long count = 0;
    double sum = 0;
  };

  std::string_view type() const override { return "histogram"; }
  void render_series(std::string& out) const override;

  std::vector<double> bounds_;
  std::map<LabelValues, Series> series_;
};

// Owns the families; references it hands out stay valid as long as the registry.
// Add every family before sharing the registry between threads.
class Registry {
 public:
  CounterFamily& add_counter(std::string name, std::string help, LabelNames label_names = {});
  GaugeFamily& add_gauge(std::string name, std::string help, LabelNames label_names = {});
  HistogramFamily& add_histogram(std::string name, std::string help, LabelNames label_names,
                                 std::vector<double> bounds);

  // The whole exposition text, families in the order they were added.
  std::string render() const;

 private:
  std::vector<std::unique_ptr<Family>> families_;
};

// Escapes a label value: backslash, double quote and line feed.
std::string escape_label_value(std::string_view value);

// Escapes help text: backslash and line feed.
std::string escape_help(std::string_view text);

// A sample value as Prometheus reads it: shortest round-trip form, +Inf, -Inf, NaN.
std::string format_value(double value);

}  // namespace meetgate::http
