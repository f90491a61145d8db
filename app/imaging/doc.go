// Package imaging turns untrusted uploaded images into clean JPEG or PNG
// files: the type is detected from the bytes, declared dimensions are checked
// before any pixel is decoded, the EXIF orientation is applied, large images
// are scaled down, and the result is re-encoded without any metadata.
package imaging
