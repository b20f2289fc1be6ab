#pragma once
// A CSV file with a header line, read by column name, so that columns added
// later (or moved) do not break the reader. Plain CSV: no quoted fields.
#include <map>
#include <string>
#include <vector>

namespace lossbench::report {

/// One map per data line, from column name to its text. Throws InputError
/// when there is no header or a line has more fields than the header.
std::vector<std::map<std::string, std::string>> parse_csv_by_header(const std::string& text);

}  // namespace lossbench::report
