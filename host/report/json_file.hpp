#pragma once
// Reading a JSON file that a section's command wrote.
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace lossbench::report {

/// The parsed file, or nullopt with `error` saying why (missing, not JSON).
std::optional<nlohmann::json> read_json_file(const std::filesystem::path& file, std::string& error);

/// The whole file as text; empty when it cannot be read.
std::string read_text_file(const std::filesystem::path& file);

}  // namespace lossbench::report
