#include "markdown_table.hpp"

#include <cmath>
#include <cstdio>

namespace lossbench::report {
namespace {

std::string cell(const std::string& text) {
  std::string escaped;
  for (const char c : text) {
    if (c == '|') escaped += "\\|";
    else if (c == '\n') escaped += ' ';
    else escaped += c;
  }
  return escaped;
}

}  // namespace

std::string markdown_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::string text = "|";
  for (const std::string& h : header) text += " " + cell(h) + " |";
  text += "\n|";
  for (std::size_t i = 0; i < header.size(); ++i) text += "---|";
  text += "\n";
  for (const auto& row : rows) {
    text += "|";
    for (std::size_t i = 0; i < header.size(); ++i) text += " " + (i < row.size() ? cell(row[i]) : "") + " |";
    text += "\n";
  }
  return text;
}

std::string format_number(double value, int significant) {
  if (!std::isfinite(value)) return std::isnan(value) ? "nan" : (value > 0 ? "inf" : "-inf");
  char text[64];
  const double magnitude = std::fabs(value);
  if (magnitude != 0 && (magnitude >= 1e9 || magnitude < 1e-4)) {
    std::snprintf(text, sizeof text, "%.*g", significant, value);
    return text;
  }
  // Enough decimals for `significant` digits, none beyond the units for large values.
  const int digits_before = magnitude >= 1 ? static_cast<int>(std::floor(std::log10(magnitude))) + 1 : 0;
  int decimals = significant - digits_before;
  if (magnitude < 1 && magnitude > 0) decimals = significant - static_cast<int>(std::floor(std::log10(magnitude))) - 1;
  decimals = decimals < 0 ? 0 : decimals;
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string format_seconds(double seconds) {
  if (seconds < 1e-3) return format_number(seconds * 1e6, 3) + " µs";
  if (seconds < 1) return format_number(seconds * 1e3, 3) + " ms";
  return format_number(seconds, 3) + " s";
}

}  // namespace lossbench::report
