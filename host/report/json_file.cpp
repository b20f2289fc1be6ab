#include "json_file.hpp"

#include <fstream>
#include <sstream>

namespace lossbench::report {

std::string read_text_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<nlohmann::json> read_json_file(const std::filesystem::path& file, std::string& error) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    error = file.filename().string() + " was not written";
    return std::nullopt;
  }
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    error = file.filename().string() + " is not valid JSON: " + e.what();
    return std::nullopt;
  }
}

}  // namespace lossbench::report
