package store

import (
	"context"

	"forewarn/app/model"
)

// CreateReportImages stores the images of a report.
func (s *Store) CreateReportImages(ctx context.Context, images []model.ReportImage) error {
	return mapErr(createAll(s.db.WithContext(ctx), images), "create report images")
}

// ReportImageIDs lists the images of a report, without their bytes.
func (s *Store) ReportImageIDs(ctx context.Context, reportID int64) ([]model.ReportImage, error) {
	var rows []model.ReportImage
	err := s.db.WithContext(ctx).Select("id, report_id, content_type, width, height").Where("report_id = ?", reportID).Order("id").Find(&rows).Error
	return rows, mapErr(err, "images of report %d", reportID)
}

// ReportImage loads one image with its bytes.
func (s *Store) ReportImage(ctx context.Context, id int64) (model.ReportImage, error) {
	var img model.ReportImage
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&img).Error
	return img, mapErr(err, "report image %d", id)
}
