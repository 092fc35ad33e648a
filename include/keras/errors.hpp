#pragma once
// Keras's exception family. Every error keras-cpp raises derives from keras::Error, so a
// caller can catch one type; the subclasses mirror Python's ValueError, TypeError, ...
#include <stdexcept>
#include <string>

namespace keras {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ValueError : public Error {
 public:
  using Error::Error;
};

class TypeError : public Error {
 public:
  using Error::Error;
};

class NotImplementedError : public Error {
 public:
  using Error::Error;
};

class IOError : public Error {
 public:
  using Error::Error;
};

class RuntimeError : public Error {
 public:
  using Error::Error;
};

}  // namespace keras
