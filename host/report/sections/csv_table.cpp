#include "sections/csv_table.hpp"

#include <sstream>

#include "lossbench/core/error.hpp"

namespace lossbench::report {
namespace {

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> parts;
  std::istringstream in(line);
  for (std::string part; std::getline(in, part, ',');) parts.push_back(part);
  if (!line.empty() && line.back() == ',') parts.emplace_back();
  return parts;
}

}  // namespace

std::vector<std::map<std::string, std::string>> parse_csv_by_header(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  if (!std::getline(lines, line) || line.empty()) throw InputError("CSV without a header line");
  const std::vector<std::string> header = fields(line);
  std::vector<std::map<std::string, std::string>> rows;
  for (std::size_t number = 2; std::getline(lines, line); ++number) {
    if (line.empty()) continue;
    const std::vector<std::string> values = fields(line);
    if (values.size() > header.size()) {
      throw InputError("CSV line " + std::to_string(number) + " has " + std::to_string(values.size()) +
                       " fields, the header " + std::to_string(header.size()));
    }
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < values.size(); ++i) row[header[i]] = values[i];
    rows.push_back(row);
  }
  return rows;
}

}  // namespace lossbench::report
