#include "sweep/hdf5_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace fraudsim::sweep::h5 {

namespace fs = std::filesystem;

namespace {

Hid string_type() {
  Hid type(H5Tcopy(H5T_C_S1), H5Tclose, "H5Tcopy");
  ok(H5Tset_size(type, H5T_VARIABLE), "H5Tset_size");
  ok(H5Tset_cset(type, H5T_CSET_UTF8), "H5Tset_cset");
  return type;
}

void sync_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  // Some file systems (NFS, quotas) report a full disk only on fsync or close.
  if (fd < 0 || ::fsync(fd) != 0 || ::close(fd) != 0)
    throw Error("fsync of " + path.string() + " failed: " + std::strerror(errno));
}

}  // namespace

std::mutex& lock() {
  static std::mutex mutex;
  return mutex;
}

// ---- Reading ------------------------------------------------------------------

Hid open_read_only(const fs::path& file) {
  return Hid(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "opening " + file.string() + " as HDF5");
}

bool has_attribute(hid_t object, const std::string& name) { return H5Aexists(object, name.c_str()) > 0; }

std::string string_attribute(hid_t object, const std::string& name) {
  const std::string what = "reading attribute " + name;
  Hid attribute(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose, what);
  Hid stored(H5Aget_type(attribute), H5Tclose, what);
  if (H5Tget_class(stored) != H5T_STRING || H5Tis_variable_str(stored) <= 0)
    throw Error(what + " failed (not a variable-length string)");
  Hid type = string_type();
  char* value = nullptr;
  ok(H5Aread(attribute, type, &value), what);
  std::string out = value ? value : "";
  H5free_memory(value);
  return out;
}

std::int64_t integer_attribute(hid_t object, const std::string& name) {
  const std::string what = "reading attribute " + name;
  Hid attribute(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose, what);
  Hid stored(H5Aget_type(attribute), H5Tclose, what);
  if (H5Tget_class(stored) != H5T_INTEGER) throw Error(what + " failed (not an integer)");
  std::int64_t value = 0;
  ok(H5Aread(attribute, H5T_NATIVE_INT64, &value), what);
  return value;
}

namespace {
std::uint64_t length_1d(hid_t dataset, const std::string& what) {
  Hid space(H5Dget_space(dataset), H5Sclose, what);
  if (H5Sget_simple_extent_ndims(space) != 1) throw Error(what + " failed (not 1-D)");
  hsize_t length = 0;
  ok(H5Sget_simple_extent_dims(space, &length, nullptr), what);
  return length;
}
}  // namespace

Text read_text(hid_t file, const std::string& path) {
  const std::string what = "reading " + path;
  Hid dataset(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose, what);
  Hid stored(H5Dget_type(dataset), H5Tclose, what);
  if (H5Tget_class(stored) != H5T_STRING || H5Tis_variable_str(stored) <= 0)
    throw Error(what + " failed (not variable-length strings)");
  std::vector<char*> pointers(length_1d(dataset, what), nullptr);
  Hid type = string_type();
  if (!pointers.empty()) ok(H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), what);
  Text out;
  for (char* p : pointers) {
    out.emplace_back(p ? p : "");
    H5free_memory(p);
  }
  return out;
}

Numbers read_numbers(hid_t file, const std::string& path) {
  const std::string what = "reading " + path;
  Hid dataset(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose, what);
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

std::vector<std::string> member_names(hid_t file, const std::string& group) {
  const std::string what = "listing " + group;
  Hid handle(H5Gopen2(file, group.c_str(), H5P_DEFAULT), H5Gclose, what);
  std::vector<std::string> names;
  ok(H5Literate(
         handle, H5_INDEX_NAME, H5_ITER_INC, nullptr,
         [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
           static_cast<std::vector<std::string>*>(data)->emplace_back(name);
           return 0;
         },
         &names),
     what);
  return names;
}

// ---- Writing ------------------------------------------------------------------

namespace {
fs::path temporary_for(const fs::path& target) {
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  return folder / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()));
}
Hid create_file(const fs::path& path) {
  Hid access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "H5Pcreate");
  // SEMI: closing fails while an object is still open, instead of silently
  // leaving the file open (and unflushed) until that object closes.
  ok(H5Pset_fclose_degree(access, H5F_CLOSE_SEMI), "H5Pset_fclose_degree");
  return Hid(H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, access), H5Fclose, "creating " + path.string());
}
Hid creation_plist(hid_t kind) {
  Hid plist(H5Pcreate(kind), H5Pclose, "H5Pcreate");
  // Modification times are all that would make two merges of the same runs differ.
  ok(H5Pset_obj_track_times(plist, 0), "H5Pset_obj_track_times");
  return plist;
}
}  // namespace

NewFile::NewFile(const fs::path& target)
    : target_(target),
      temporary_(temporary_for(target)),
      file_(create_file(temporary_)),
      text_type_(string_type()),
      dataset_plist_(creation_plist(H5P_DATASET_CREATE)),
      group_plist_(creation_plist(H5P_GROUP_CREATE)) {}

NewFile::~NewFile() {
  if (committed_) return;
  file_.reset();
  std::error_code ignored;
  fs::remove(temporary_, ignored);
}

void NewFile::commit() {
  file_.close("closing " + temporary_.string());
  sync_file(temporary_);
  std::error_code error;
  fs::rename(temporary_, target_, error);
  if (error) throw Error("renaming " + temporary_.string() + " to " + target_.string() + " failed: " + error.message());
  committed_ = true;
}

Hid NewFile::group(const std::string& path) {
  return Hid(H5Gcreate2(file_, path.c_str(), H5P_DEFAULT, group_plist_, H5P_DEFAULT), H5Gclose,
             "creating group " + path);
}

void NewFile::attribute(hid_t object, const std::string& name, const std::string& value) {
  const std::string what = "writing attribute " + name;
  Hid space(H5Screate(H5S_SCALAR), H5Sclose, what);
  Hid attribute(H5Acreate2(object, name.c_str(), text_type_, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, what);
  const char* pointer = value.c_str();
  ok(H5Awrite(attribute, text_type_, &pointer), what);
}

void NewFile::attribute(hid_t object, const std::string& name, std::int64_t value) {
  const std::string what = "writing attribute " + name;
  Hid space(H5Screate(H5S_SCALAR), H5Sclose, what);
  Hid attribute(H5Acreate2(object, name.c_str(), H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, what);
  ok(H5Awrite(attribute, H5T_NATIVE_INT64, &value), what);
}

void NewFile::attribute(hid_t object, const std::string& name, const Text& values) {
  const std::string what = "writing attribute " + name;
  const hsize_t length = values.size();
  Hid space(H5Screate_simple(1, &length, nullptr), H5Sclose, what);
  Hid attribute(H5Acreate2(object, name.c_str(), text_type_, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, what);
  std::vector<const char*> pointers;
  for (const std::string& value : values) pointers.push_back(value.c_str());
  if (!pointers.empty()) ok(H5Awrite(attribute, text_type_, pointers.data()), what);
}

void NewFile::column(hid_t parent, const std::string& name,
                     const std::variant<std::vector<std::int64_t>, std::vector<double>, Text>& values,
                     const std::string& units, const std::string& description) {
  const std::string what = "writing dataset " + name;
  const hsize_t length = std::visit([](const auto& v) { return static_cast<hsize_t>(v.size()); }, values);
  Hid space(H5Screate_simple(1, &length, nullptr), H5Sclose, what);
  const hid_t file_type = values.index() == 0   ? H5T_STD_I64LE
                          : values.index() == 1 ? H5T_IEEE_F64LE
                                                : hid_t(text_type_);
  Hid dataset(H5Dcreate2(parent, name.c_str(), file_type, space, H5P_DEFAULT, dataset_plist_, H5P_DEFAULT), H5Dclose,
              what);
  if (length > 0) {
    if (const auto* integers = std::get_if<0>(&values)) {
      ok(H5Dwrite(dataset, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, integers->data()), what);
    } else if (const auto* reals = std::get_if<1>(&values)) {
      ok(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, reals->data()), what);
    } else {
      std::vector<const char*> pointers;
      for (const std::string& value : std::get<2>(values)) pointers.push_back(value.c_str());
      ok(H5Dwrite(dataset, text_type_, H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), what);
    }
  }
  if (!units.empty()) attribute(dataset, "units", units);
  if (!description.empty()) attribute(dataset, "description", description);
}

Hid NewFile::matrix(hid_t parent, const std::string& name, bool integers, std::uint64_t rows, std::uint64_t columns) {
  const hsize_t shape[2] = {rows, columns};
  Hid space(H5Screate_simple(2, shape, nullptr), H5Sclose, "writing dataset " + name);
  return Hid(H5Dcreate2(parent, name.c_str(), integers ? H5T_STD_I64LE : H5T_IEEE_F64LE, space, H5P_DEFAULT,
                        dataset_plist_, H5P_DEFAULT),
             H5Dclose, "writing dataset " + name);
}

void NewFile::write_rows(hid_t matrix, bool integers, std::uint64_t first_row, std::uint64_t rows,
                         std::uint64_t columns, const void* values) {
  const std::string what = "writing rows of a merged dataset";
  if (rows == 0 || columns == 0) return;
  Hid file_space(H5Dget_space(matrix), H5Sclose, what);
  const hsize_t start[2] = {first_row, 0}, count[2] = {rows, columns};
  ok(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, nullptr, count, nullptr), what);
  Hid memory_space(H5Screate_simple(2, count, nullptr), H5Sclose, what);
  ok(H5Dwrite(matrix, integers ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE, memory_space, file_space, H5P_DEFAULT, values),
     what);
}

}  // namespace fraudsim::sweep::h5
