#pragma once
// The findings of one verification case, output element by output element,
// as llm.c's validate_result keeps them: every element is compared with its
// reference within its bound, and the log keeps the largest error (in units
// of the bound: <= 1 passes), counts the failing elements and those left
// NaN (the poison: never written), and keeps the first few mismatches with
// what they were computed from, so that a failure says where and by how much.
// Problems that are not an element's (a guard element overwritten, a rerun
// with other bits) are kept as sentences. verify (loss and training step),
// the emulated tests and the GPU tests all check through it.
//
//   MismatchLog log;
//   for (i...) log.check("grad", i, got[i], ref[i], bound_i, [&] { return "z = ..., y = ..."; });
//   log.check_guards("grad", contents.guards_intact);
//   log.check_same_bits("grad", first.payload, second.payload);
//   if (!log.passed()) log.print(std::cerr);
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace lossbench {

/// One output element outside its bound, or NaN.
struct Mismatch {
  std::string output;   // which output: "grad", "dW", ...
  std::int64_t index;   // the element's index in it
  std::string inputs;   // what it was computed from, in words
  double got;
  double expected;      // the reference
  double bound;         // the largest |got − expected| allowed
  double error;         // |got − expected| / bound; +inf for a NaN where a number was expected
};

class MismatchLog {
 public:
  static constexpr std::size_t kDefaultKept = 5;
  explicit MismatchLog(std::size_t kept = kDefaultKept) : kept_(kept) {}

  /// Checks one element and returns its error in units of the bound
  /// (error_in_bound_units: 0 when got == expected, equal infinities and two
  /// NaNs included; +inf when just one of them is NaN). A NaN where the
  /// reference is a number fails and counts as unwritten: outputs are
  /// poisoned with NaN, so it is either the poison or a computed NaN.
  /// `describe_inputs()` returns a std::string and is called only for a
  /// mismatch that is kept.
  template <class DescribeInputs>
  double check(std::string_view output, std::int64_t index, double got, double expected, double bound,
               DescribeInputs&& describe_inputs) {
    const double error = error_in_bound(got, expected, bound);
    ++checked_;
    if (!std::isnan(error)) max_error_ = std::max(max_error_, error);
    if (error <= 1.0) return error;
    ++failed_;
    if (std::isnan(got)) ++unwritten_;
    if (mismatches_.size() < kept_) {
      mismatches_.push_back({std::string(output), index, describe_inputs(), got, expected, bound, error});
    }
    return error;
  }
  double check(std::string_view output, std::int64_t index, double got, double expected, double bound) {
    return check(output, index, got, expected, bound, [] { return std::string(); });
  }

  /// Records a problem unless `intact`: something wrote next to `output`.
  void check_guards(std::string_view output, bool intact);
  /// Records a problem unless two runs' bytes of `output` are equal.
  void check_same_bits(std::string_view output, const std::vector<unsigned char>& first,
                       const std::vector<unsigned char>& second);
  /// Records any other problem, as a sentence.
  void fail(std::string problem);

  bool passed() const { return failed_ == 0 && problems_.empty(); }
  double max_error() const { return max_error_; }
  std::int64_t checked_elements() const { return checked_; }
  std::int64_t failed_elements() const { return failed_; }
  /// Failing elements that were NaN: still the poison, or computed NaN.
  std::int64_t unwritten_elements() const { return unwritten_; }
  bool guards_intact() const { return guards_intact_; }
  bool same_bits() const { return same_bits_; }
  /// The first few failing elements, in the order checked.
  const std::vector<Mismatch>& mismatches() const { return mismatches_; }
  /// The problems that are not an element's, in the order found.
  const std::vector<std::string>& problems() const { return problems_; }

  /// One line per kept mismatch and per problem, each after `indent`, with a
  /// count of the failing elements not shown; nothing when passed.
  void print(std::ostream& out, std::string_view indent = "    ") const;
  /// print() as a string, for test failure messages.
  std::string report() const;

 private:
  static double error_in_bound(double got, double expected, double bound);

  std::size_t kept_;
  double max_error_ = 0.0;
  std::int64_t checked_ = 0;
  std::int64_t failed_ = 0;
  std::int64_t unwritten_ = 0;
  bool guards_intact_ = true;
  bool same_bits_ = true;
  std::vector<Mismatch> mismatches_;
  std::vector<std::string> problems_;
};

/// "grad[17] (z = 3.5, y = 0): got 0.25, expected 0.125, bound 1e-07 (1.25e+06 × bound)".
std::string describe(const Mismatch& m);

}  // namespace lossbench
