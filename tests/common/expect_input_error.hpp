#pragma once
// The check every API test makes of bad input: the call throws InputError
// whose message contains `needle`; accepting the input is a failure.
#include <gtest/gtest.h>

#include <string>

#include "lossbench/core/error.hpp"

namespace lossbench::testing {

template <class Call>
void expect_input_error(Call&& call, const std::string& needle, const char* what = "a call") {
  try {
    call();
    ADD_FAILURE() << "accepted " << what << " that should fail with '" << needle << "'";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

}  // namespace lossbench::testing
