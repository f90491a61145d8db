package imaging

import "errors"

// DecodeCost returns the memory that the header of data says decoding
// needs.
func DecodeCost(data []byte) (int64, error) {
	f := sniff(data)
	if f == nil {
		return 0, errors.New("unknown type")
	}
	fp, err := readFootprint(f, data)
	return fp.bytes(), err
}

// DecodeOnly decodes data with its format's decoder, without any check.
func DecodeOnly(data []byte) error {
	f := sniff(data)
	if f == nil {
		return errors.New("unknown type")
	}
	_, err := decode(f, data)
	return err
}

// HoldSlot takes one of p's decoding slots until release is called.
func (p *Processor) HoldSlot() (release func()) {
	p.slots <- struct{}{}
	return func() { <-p.slots }
}
