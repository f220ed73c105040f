// Parameterised kernels that the library and pipelines refer to by name.
#pragma once

#include "conveyor/conv/kernel.hpp"

namespace conveyor::conv {

Kernel box_kernel(int size);                     // normalised: every weight 1/size^2
Kernel gaussian_kernel(int size, double sigma);  // normalised; sigma <= 0 picks OpenCV's default
// Sobel derivative kernels as cv::getDerivKernels builds them (sizes 1, 3, 5, 7).
Kernel sobel_kernel(int dx, int dy, int size);
Kernel motion_blur_kernel(int size);  // horizontal line, normalised

}  // namespace conveyor::conv
