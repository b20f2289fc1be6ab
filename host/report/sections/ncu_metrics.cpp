#include "sections/ncu_metrics.hpp"

#include <sstream>
#include <vector>

namespace lossbench::report {

std::vector<std::string> split_quoted_csv_line(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(field);
      field.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  fields.push_back(field);
  return fields;
}

NcuKernelMetrics parse_ncu_details_csv(const std::string& text) {
  NcuKernelMetrics result;
  std::istringstream lines(text);
  std::vector<std::string> header;
  std::size_t id_column = 0, kernel_column = 0, name_column = 0, unit_column = 0, value_column = 0;
  std::string first_id;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("\"ID\"", 0) == 0) {
      header = split_quoted_csv_line(line);
      const auto column = [&](const std::string& name) {
        for (std::size_t i = 0; i < header.size(); ++i) {
          if (header[i] == name) return i;
        }
        return header.size();
      };
      id_column = column("ID");
      kernel_column = column("Kernel Name");
      name_column = column("Metric Name");
      unit_column = column("Metric Unit");
      value_column = column("Metric Value");
      continue;
    }
    if (header.empty() || line.empty() || line[0] != '"') continue;
    const std::vector<std::string> fields = split_quoted_csv_line(line);
    if (fields.size() <= value_column || fields.size() <= name_column || fields.size() <= kernel_column) continue;
    if (first_id.empty()) {
      first_id = fields[id_column];
      result.kernel = fields[kernel_column];
    }
    if (fields[id_column] != first_id) continue;  // only the first profiled launch
    std::string digits;
    for (const char c : fields[value_column]) {
      if (c != ',') digits += c;
    }
    try {
      std::size_t used = 0;
      const double value = std::stod(digits, &used);
      if (used == digits.size()) result.metrics[fields[name_column]] = {fields[unit_column], value};
    } catch (const std::exception&) {
      // Not a number (a rule's text, "n/a"): not a metric the report reads.
    }
  }
  return result;
}

}  // namespace lossbench::report
