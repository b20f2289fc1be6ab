#include "lossbench/verify/mismatch_log.hpp"

#include <cstdio>
#include <sstream>

#include "lossbench/loss/fused_loss_bounds.hpp"

namespace lossbench {

double MismatchLog::error_in_bound(double got, double expected, double bound) {
  return error_in_bound_units(got, expected, bound);
}

void MismatchLog::check_guards(std::string_view output, bool intact) {
  if (intact) return;
  guards_intact_ = false;
  fail("a write outside the outputs: a guard element next to " + std::string(output) + " changed");
}

void MismatchLog::check_same_bits(std::string_view output, const std::vector<unsigned char>& first,
                                  const std::vector<unsigned char>& second) {
  if (first == second) return;
  same_bits_ = false;
  std::string where;
  if (first.size() == second.size()) {
    const auto byte = std::mismatch(first.begin(), first.end(), second.begin()).first - first.begin();
    where = " from byte " + std::to_string(byte);
  }
  fail("a second run gave different bits in " + std::string(output) + where);
}

void MismatchLog::fail(std::string problem) { problems_.push_back(std::move(problem)); }

namespace {

// %g, but "NaN" for every NaN (the poison prints as "-nan").
std::string number(double value, int digits) {
  if (std::isnan(value)) return "NaN";
  char text[40];
  std::snprintf(text, sizeof text, "%.*g", digits, value);
  return text;
}

}  // namespace

std::string describe(const Mismatch& m) {
  std::string line = m.output + "[" + std::to_string(m.index) + "]";
  if (!m.inputs.empty()) line += " (" + m.inputs + ")";
  line += ": got " + number(m.got, 9) + ", expected " + number(m.expected, 9) + ", bound " + number(m.bound, 3) +
          " (" + number(m.error, 3) + " x bound)";
  if (std::isnan(m.got)) line += ": NaN is the poison: never written, or computed NaN";
  return line;
}

void MismatchLog::print(std::ostream& out, std::string_view indent) const {
  if (failed_ > 0) {
    out << indent << failed_ << " of " << checked_ << " elements outside the bound";
    if (unwritten_ > 0) out << " (" << unwritten_ << " NaN)";
    out << (mismatches_.size() < static_cast<std::size_t>(failed_) ? ", the first " + std::to_string(mismatches_.size())
                                                                    : std::string())
        << ":\n";
    for (const Mismatch& m : mismatches_) out << indent << "  " << describe(m) << '\n';
  }
  for (const std::string& problem : problems_) out << indent << problem << '\n';
}

std::string MismatchLog::report() const {
  std::ostringstream s;
  print(s, "  ");
  return s.str();
}

}  // namespace lossbench
