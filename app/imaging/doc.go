// Package imaging turns untrusted uploaded images into clean JPEG or PNG
// files: the type is detected from the bytes, declared dimensions and the
// memory their decoding needs (read from the header: bit depth, colour type,
// sampling) are checked before any pixel is decoded, a Processor decodes a
// bounded number at a time, the EXIF orientation is applied, large images
// are scaled down by area averaging, and the result is re-encoded without
// any metadata.
package imaging
