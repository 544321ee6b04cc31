#include "output/hdf5_builder.hpp"

namespace fraudsim::output::h5 {

namespace {

Hid without_times(hid_t kind) {
  Hid plist(H5Pcreate(kind), H5Pclose, "H5Pcreate");
  // Modification times are all that would make two identical runs (or
  // merges of the same runs) give different bytes.
  ok(H5Pset_obj_track_times(plist, 0), "H5Pset_obj_track_times");
  return plist;
}

std::vector<const char*> pointers(const Text& values) {
  std::vector<const char*> out;
  out.reserve(values.size());
  for (const std::string& value : values) out.push_back(value.c_str());
  return out;
}

}  // namespace

Builder::Builder(hid_t file)
    : file_(file),
      text_(text_type()),
      group_plist_(without_times(H5P_GROUP_CREATE)),
      dataset_plist_(without_times(H5P_DATASET_CREATE)),
      link_plist_(H5Pcreate(H5P_LINK_CREATE), H5Pclose, "H5Pcreate") {
  ok(H5Pset_create_intermediate_group(link_plist_, 1), "H5Pset_create_intermediate_group");
}

void Builder::group(const std::string& path) {
  Hid(H5Gcreate2(file_, path.c_str(), link_plist_, group_plist_, H5P_DEFAULT), H5Gclose, "creating group " + path);
}

void Builder::write_attribute(const std::string& object, const std::string& name, hid_t file_type,
                              hid_t memory_type, std::optional<hsize_t> length, const void* data) {
  const std::string what = "writing attribute " + name + " of " + object;
  Hid space(length ? H5Screate_simple(1, &*length, nullptr) : H5Screate(H5S_SCALAR), H5Sclose, what);
  Hid attribute(H5Acreate_by_name(file_, object.c_str(), name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT,
                                  H5P_DEFAULT),
                H5Aclose, what);
  if (!length || *length > 0) ok(H5Awrite(attribute, memory_type, data), what);
}

void Builder::attribute(const std::string& object, const std::string& name, const MetaValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) {
    const char* pointer = text->c_str();
    write_attribute(object, name, text_, text_, std::nullopt, &pointer);
  } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    write_attribute(object, name, H5T_STD_I64LE, H5T_NATIVE_INT64, std::nullopt, integer);
  } else {
    write_attribute(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, std::nullopt, &std::get<double>(value));
  }
}

void Builder::attribute(const std::string& object, const std::string& name, const Text& values) {
  const std::vector<const char*> texts = pointers(values);
  write_attribute(object, name, text_, text_, texts.size(), texts.data());
}

template <class T>
void Builder::write_dataset(const std::string& path, hid_t file_type, hid_t memory_type, const std::vector<T>& values,
                            const void* data, std::size_t width) {
  const std::string what = "writing dataset " + path;
  const hsize_t shape[2] = {width ? values.size() / width : values.size(), width};
  Hid space(H5Screate_simple(width ? 2 : 1, shape, nullptr), H5Sclose, what);
  Hid dataset(H5Dcreate2(file_, path.c_str(), file_type, space, H5P_DEFAULT, dataset_plist_, H5P_DEFAULT), H5Dclose,
              what);
  if (!values.empty()) ok(H5Dwrite(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), what);
}

void Builder::dataset(const std::string& path, const std::vector<std::int64_t>& values, std::size_t width) {
  write_dataset(path, H5T_STD_I64LE, H5T_NATIVE_INT64, values, values.data(), width);
}

void Builder::dataset(const std::string& path, const std::vector<double>& values, std::size_t width) {
  write_dataset(path, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, values, values.data(), width);
}

void Builder::dataset(const std::string& path, const Text& values, std::size_t width) {
  const std::vector<const char*> texts = pointers(values);
  write_dataset(path, text_, text_, values, texts.data(), width);
}

void Builder::matrix(const std::string& path, bool integers, std::uint64_t rows, std::uint64_t columns) {
  const std::string what = "writing dataset " + path;
  const hsize_t shape[2] = {rows, columns};
  Hid space(H5Screate_simple(2, shape, nullptr), H5Sclose, what);
  Hid(H5Dcreate2(file_, path.c_str(), integers ? H5T_STD_I64LE : H5T_IEEE_F64LE, space, H5P_DEFAULT, dataset_plist_,
                 H5P_DEFAULT),
      H5Dclose, what);
}

void Builder::write_rows(const std::string& path, bool integers, std::uint64_t first_row, std::uint64_t rows,
                         std::uint64_t columns, const void* values) {
  const std::string what = "writing rows of " + path;
  if (rows == 0 || columns == 0) return;
  Hid dataset(H5Dopen2(file_, path.c_str(), H5P_DEFAULT), H5Dclose, what);
  Hid file_space(H5Dget_space(dataset), H5Sclose, what);
  const hsize_t start[2] = {first_row, 0}, count[2] = {rows, columns};
  ok(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, nullptr, count, nullptr), what);
  Hid memory_space(H5Screate_simple(2, count, nullptr), H5Sclose, what);
  ok(H5Dwrite(dataset, integers ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE, memory_space, file_space, H5P_DEFAULT, values),
     what);
}

}  // namespace fraudsim::output::h5
