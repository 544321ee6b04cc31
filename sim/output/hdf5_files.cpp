#include "output/hdf5_files.hpp"

#include <cstring>

#include "output/hdf5_builder.hpp"
#include "output/hdf5_handle.hpp"

namespace fraudsim::output {

namespace fs = std::filesystem;

namespace h5 {

namespace {

std::uint64_t length_1d(hid_t dataset, const std::string& what) {
  Hid space(H5Dget_space(dataset), H5Sclose, what);
  if (H5Sget_simple_extent_ndims(space) != 1) throw Error(what + " failed (not 1-D)");
  hsize_t length = 0;
  ok(H5Sget_simple_extent_dims(space, &length, nullptr), what);
  return length;
}

// An iteration callback of HDF5 that collects the names it is given.
template <class Info>
herr_t collect_name(hid_t, const char* name, const Info*, void* names) {
  static_cast<std::vector<std::string>*>(names)->emplace_back(name);
  return 0;
}

// `count` strings read by `read` into pointers HDF5 allocates, copied out and freed.
template <class Read>
Text read_strings(std::size_t count, const Read& read) {
  std::vector<char*> pointers(count, nullptr);
  if (count) read(pointers.data());
  Text out;
  out.reserve(count);
  for (char* p : pointers) {
    out.emplace_back(p ? p : "");
    H5free_memory(p);
  }
  return out;
}

}  // namespace

// ---- Reading ------------------------------------------------------------------

struct Reader::State {
  Access access;
  Hid file;
  explicit State(const fs::path& path)
      : file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "opening " + path.string() + " as HDF5") {}
};

Reader::Reader(const fs::path& file) : state_(std::make_unique<State>(file)) {}
Reader::~Reader() = default;

bool Reader::exists(const std::string& path) const { return H5Lexists(state_->file, path.c_str(), H5P_DEFAULT) > 0; }

std::map<std::string, MetaValue> Reader::attributes(const std::string& object) const {
  const std::string what = "reading the attributes of " + object;
  Hid handle(H5Oopen(state_->file, object.c_str(), H5P_DEFAULT), H5Oclose, what);
  std::vector<std::string> names;
  ok(H5Aiterate2(handle, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_name<H5A_info_t>, &names), what);
  std::map<std::string, MetaValue> out;
  for (const std::string& name : names) {
    const std::string reading = "reading attribute " + name + " of " + object;
    Hid attribute(H5Aopen(handle, name.c_str(), H5P_DEFAULT), H5Aclose, reading);
    Hid stored(H5Aget_type(attribute), H5Tclose, reading);
    Hid space(H5Aget_space(attribute), H5Sclose, reading);
    if (H5Sget_simple_extent_type(space) != H5S_SCALAR) continue;
    switch (H5Tget_class(stored)) {
      case H5T_STRING:
        if (H5Tis_variable_str(stored) > 0) {
          Hid type = text_type();
          out[name] = read_strings(1, [&](char** p) { ok(H5Aread(attribute, type, p), reading); }).front();
        }
        break;
      case H5T_INTEGER: {
        std::int64_t value = 0;
        ok(H5Aread(attribute, H5T_NATIVE_INT64, &value), reading);
        out[name] = value;
        break;
      }
      case H5T_FLOAT: {
        double value = 0;
        ok(H5Aread(attribute, H5T_NATIVE_DOUBLE, &value), reading);
        out[name] = value;
        break;
      }
      default:
        break;
    }
  }
  return out;
}

Text Reader::text(const std::string& path) const {
  const std::string what = "reading " + path;
  Hid dataset(H5Dopen2(state_->file, path.c_str(), H5P_DEFAULT), H5Dclose, what);
  Hid stored(H5Dget_type(dataset), H5Tclose, what);
  if (H5Tget_class(stored) != H5T_STRING || H5Tis_variable_str(stored) <= 0)
    throw Error(what + " failed (not variable-length strings)");
  Hid type = text_type();
  return read_strings(length_1d(dataset, what),
                      [&](char** p) { ok(H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, p), what); });
}

Numbers Reader::numbers(const std::string& path) const {
  const std::string what = "reading " + path;
  Hid dataset(H5Dopen2(state_->file, path.c_str(), H5P_DEFAULT), H5Dclose, what);
  Hid stored(H5Dget_type(dataset), H5Tclose, what);
  const std::size_t length = length_1d(dataset, what);
  if (H5Tget_class(stored) == H5T_INTEGER) {
    std::vector<std::int64_t> values(length);
    if (length) ok(H5Dread(dataset, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), what);
    return values;
  }
  if (H5Tget_class(stored) == H5T_FLOAT) {
    std::vector<double> values(length);
    if (length) ok(H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), what);
    return values;
  }
  throw Error(what + " failed (not numbers)");
}

std::vector<std::string> Reader::members(const std::string& group) const {
  const std::string what = "listing " + group;
  Hid handle(H5Gopen2(state_->file, group.c_str(), H5P_DEFAULT), H5Gclose, what);
  std::vector<std::string> names;
  ok(H5Literate(handle, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_name<H5L_info_t>, &names), what);
  return names;
}

std::map<std::string, std::string> Reader::dataset_values() const {
  std::vector<std::string> names;
  auto visit = [](hid_t, const char* name, const H5O_info_t* info, void* out) -> herr_t {
    if (info->type == H5O_TYPE_DATASET && std::strncmp(name, "perf", 4) != 0)
      static_cast<std::vector<std::string>*>(out)->push_back(name);
    return 0;
  };
  ok(H5Ovisit(state_->file, H5_INDEX_NAME, H5_ITER_INC, visit, &names), "listing datasets");
  std::map<std::string, std::string> out;
  for (const std::string& name : names) {
    const std::string what = "reading " + name;
    Hid dataset(H5Dopen2(state_->file, name.c_str(), H5P_DEFAULT), H5Dclose, what);
    Hid space(H5Dget_space(dataset), H5Sclose, what);
    Hid type(H5Dget_type(dataset), H5Tclose, what);
    const auto count = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
    std::string bytes;
    if (H5Tget_class(type) == H5T_STRING) {
      Hid text = text_type();
      for (const std::string& value : read_strings(
               count, [&](char** p) { ok(H5Dread(dataset, text, H5S_ALL, H5S_ALL, H5P_DEFAULT, p), what); })) {
        bytes += value;
        bytes.push_back('\0');
      }
    } else {
      const bool integers = H5Tget_class(type) == H5T_INTEGER;
      bytes.resize(count * 8);
      if (count)
        ok(H5Dread(dataset, integers ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                   bytes.data()),
           what);
    }
    out["/" + name] = std::move(bytes);
  }
  return out;
}

// ---- Writing ------------------------------------------------------------------

namespace {
Hid create_file(const fs::path& path) {
  Hid access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "H5Pcreate");
  // SEMI: closing fails while an object is still open, instead of silently
  // leaving the file open (and unflushed) until that object closes.
  ok(H5Pset_fclose_degree(access, H5F_CLOSE_SEMI), "H5Pset_fclose_degree");
  return Hid(H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, access), H5Fclose, "creating " + path.string());
}
}  // namespace

struct NewFile::State {
  Access access;
  Hid file;
  Builder builder;
  explicit State(const fs::path& path) : file(create_file(path)), builder(file) {}
};

NewFile::NewFile(const fs::path& path) : state_(std::make_unique<State>(path)) {}
NewFile::~NewFile() = default;

void NewFile::group(const std::string& path) { state_->builder.group(path); }

void NewFile::attribute(const std::string& object, const std::string& name, const MetaValue& value) {
  state_->builder.attribute(object, name, value);
}

void NewFile::attribute(const std::string& object, const std::string& name, const Text& values) {
  state_->builder.attribute(object, name, values);
}

void NewFile::column(const std::string& path, const Values& values, const std::string& units,
                     const std::string& description) {
  state_->builder.dataset(path, values);
  if (!units.empty()) attribute(path, "units", units);
  if (!description.empty()) attribute(path, "description", description);
}

void NewFile::matrix(const std::string& path, bool integers, std::uint64_t rows, std::uint64_t columns) {
  state_->builder.matrix(path, integers, rows, columns);
}

void NewFile::write_rows(const std::string& path, bool integers, std::uint64_t first_row, std::uint64_t rows,
                         std::uint64_t columns, const void* values) {
  state_->builder.write_rows(path, integers, first_row, rows, columns, values);
}

void NewFile::close() { state_->file.close("closing the file"); }

}  // namespace h5

std::optional<std::map<std::string, MetaValue>> read_meta(const fs::path& file) {
  const h5::Reader reader(file);
  if (!reader.exists("/meta")) return std::nullopt;
  return reader.attributes("/meta");
}

std::map<std::string, std::string> read_datasets(const fs::path& file) { return h5::Reader(file).dataset_values(); }

}  // namespace fraudsim::output
