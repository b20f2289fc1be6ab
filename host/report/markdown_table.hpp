#pragma once
// A Markdown table from rows of cells, and the number formatting the
// report's tables share.
#include <string>
#include <vector>

namespace lossbench::report {

/// "| a | b |\n|---|---|\n| 1 | 2 |\n"; a '|' inside a cell is escaped.
std::string markdown_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

/// `value` with `significant` significant digits, without exponent for
/// ordinary magnitudes: 1076.7, 0.0123, 3.2e+09.
std::string format_number(double value, int significant = 4);

/// A duration in seconds as "3.2 µs", "1.07 ms", "12.3 s".
std::string format_seconds(double seconds);

}  // namespace lossbench::report
